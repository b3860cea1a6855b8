from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Replay")


@_attrs_define
class Replay:
    """
    Attributes:
        endpoint (str):
        since (datetime.datetime):
        until (datetime.datetime):
        types (list[str]):
        event_count (int): Events queued for delivery.
        created_at (datetime.datetime):
        object_ (str | Unset):  Default: 'webhook_replay'.
    """

    endpoint: str
    since: datetime.datetime
    until: datetime.datetime
    types: list[str]
    event_count: int
    created_at: datetime.datetime
    object_: str | Unset = "webhook_replay"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        endpoint = self.endpoint

        since = self.since.isoformat()

        until = self.until.isoformat()

        types = self.types

        event_count = self.event_count

        created_at = self.created_at.isoformat()

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "endpoint": endpoint,
                "since": since,
                "until": until,
                "types": types,
                "event_count": event_count,
                "created_at": created_at,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        endpoint = d.pop("endpoint")

        since = datetime.datetime.fromisoformat(d.pop("since"))

        until = datetime.datetime.fromisoformat(d.pop("until"))

        types = cast(list[str], d.pop("types"))

        event_count = d.pop("event_count")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        object_ = d.pop("object", UNSET)

        replay = cls(
            endpoint=endpoint,
            since=since,
            until=until,
            types=types,
            event_count=event_count,
            created_at=created_at,
            object_=object_,
        )

        replay.additional_properties = d
        return replay

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
