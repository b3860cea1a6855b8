from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Funding")


@_attrs_define
class Funding:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        id (str):
        environment (str):
        currency (str):
        funded (int):
        allocated (int): Set aside by offers' budgets.
        available (int):
        updated_at (str):
        object_ (str | Unset):  Default: 'offer_funding'.
    """

    id: str
    environment: str
    currency: str
    funded: int
    allocated: int
    available: int
    updated_at: str
    object_: str | Unset = "offer_funding"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        environment = self.environment

        currency = self.currency

        funded = self.funded

        allocated = self.allocated

        available = self.available

        updated_at = self.updated_at

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "environment": environment,
                "currency": currency,
                "funded": funded,
                "allocated": allocated,
                "available": available,
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

        currency = d.pop("currency")

        funded = d.pop("funded")

        allocated = d.pop("allocated")

        available = d.pop("available")

        updated_at = d.pop("updated_at")

        object_ = d.pop("object", UNSET)

        funding = cls(
            id=id,
            environment=environment,
            currency=currency,
            funded=funded,
            allocated=allocated,
            available=available,
            updated_at=updated_at,
            object_=object_,
        )

        funding.additional_properties = d
        return funding

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
