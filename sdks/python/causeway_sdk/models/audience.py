from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Audience")


@_attrs_define
class Audience:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        offer (str):
        estimated_holders (int): Opted-in holders the targeting matches; never who.
        as_of (str):
        object_ (str | Unset):  Default: 'offer_audience'.
    """

    offer: str
    estimated_holders: int
    as_of: str
    object_: str | Unset = "offer_audience"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        offer = self.offer

        estimated_holders = self.estimated_holders

        as_of = self.as_of

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "offer": offer,
                "estimated_holders": estimated_holders,
                "as_of": as_of,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        offer = d.pop("offer")

        estimated_holders = d.pop("estimated_holders")

        as_of = d.pop("as_of")

        object_ = d.pop("object", UNSET)

        audience = cls(
            offer=offer,
            estimated_holders=estimated_holders,
            as_of=as_of,
            object_=object_,
        )

        audience.additional_properties = d
        return audience

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
