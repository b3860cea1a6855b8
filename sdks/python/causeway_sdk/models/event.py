from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Event")


@_attrs_define
class Event:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        id (str):
        type_ (str):
        environment (str):
        api_version (str):
        created_at (datetime.datetime):
        sequence (int): Position of this event among the events of the same object.
        data (Any): `{"object": {...snapshot...}, "previous_attributes": {...}}`
        object_ (str | Unset):  Default: 'event'.
    """

    id: str
    type_: str
    environment: str
    api_version: str
    created_at: datetime.datetime
    sequence: int
    data: Any
    object_: str | Unset = "event"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        environment = self.environment

        api_version = self.api_version

        created_at = self.created_at.isoformat()

        sequence = self.sequence

        data = self.data

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "environment": environment,
                "api_version": api_version,
                "created_at": created_at,
                "sequence": sequence,
                "data": data,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        environment = d.pop("environment")

        api_version = d.pop("api_version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        sequence = d.pop("sequence")

        data = d.pop("data")

        object_ = d.pop("object", UNSET)

        event = cls(
            id=id,
            type_=type_,
            environment=environment,
            api_version=api_version,
            created_at=created_at,
            sequence=sequence,
            data=data,
            object_=object_,
        )

        event.additional_properties = d
        return event

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
