from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.event_type_enum import EventTypeEnum, check_event_type_enum
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReplayInputRequest")


@_attrs_define
class ReplayInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            since (datetime.datetime): RFC 3339; events created at or after this time.
            until (datetime.datetime | Unset): RFC 3339; events created before this (default now).
            types (list[EventTypeEnum] | Unset): Only these event types.
    """

    since: datetime.datetime
    until: datetime.datetime | Unset = UNSET
    types: list[EventTypeEnum] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        since = self.since.isoformat()

        until: str | Unset = UNSET
        if not isinstance(self.until, Unset):
            until = self.until.isoformat()

        types: list[str] | Unset = UNSET
        if not isinstance(self.types, Unset):
            types = []
            for types_item_data in self.types:
                types_item: str = types_item_data
                types.append(types_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "since": since,
            }
        )
        if until is not UNSET:
            field_dict["until"] = until
        if types is not UNSET:
            field_dict["types"] = types

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        since = datetime.datetime.fromisoformat(d.pop("since"))

        _until = d.pop("until", UNSET)
        until: datetime.datetime | Unset
        if isinstance(_until, Unset):
            until = UNSET
        else:
            until = datetime.datetime.fromisoformat(_until)

        _types = d.pop("types", UNSET)
        types: list[EventTypeEnum] | Unset = UNSET
        if _types is not UNSET:
            types = []
            for types_item_data in _types:
                types_item = check_event_type_enum(types_item_data)

                types.append(types_item)

        replay_input_request = cls(
            since=since,
            until=until,
            types=types,
        )

        return replay_input_request
