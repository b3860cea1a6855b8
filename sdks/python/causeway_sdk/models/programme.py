from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Programme")


@_attrs_define
class Programme:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        id (str):
        environment (str):
        name (str):
        rate (str): Programme units per point, a decimal string.
        updated_at (str):
        object_ (str | Unset):  Default: 'points_programme'.
    """

    id: str
    environment: str
    name: str
    rate: str
    updated_at: str
    object_: str | Unset = "points_programme"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        environment = self.environment

        name = self.name

        rate = self.rate

        updated_at = self.updated_at

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "environment": environment,
                "name": name,
                "rate": rate,
                "updated_at": updated_at,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        environment = d.pop("environment")

        name = d.pop("name")

        rate = d.pop("rate")

        updated_at = d.pop("updated_at")

        object_ = d.pop("object", UNSET)

        programme = cls(
            id=id,
            environment=environment,
            name=name,
            rate=rate,
            updated_at=updated_at,
            object_=object_,
        )

        programme.additional_properties = d
        return programme

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
