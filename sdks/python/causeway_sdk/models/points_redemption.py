from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PointsRedemption")


@_attrs_define
class PointsRedemption:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        id (str):
        environment (str):
        holder (str):
        wallet (str): The holder's points (`XPT`) wallet.
        points (int):
        programme (str):
        rate (str):
        value (str): `points x rate`, in the programme's units (a decimal string).
        reference (str):
        transaction (str):
        created_at (str):
        object_ (str | Unset):  Default: 'points_redemption'.
    """

    id: str
    environment: str
    holder: str
    wallet: str
    points: int
    programme: str
    rate: str
    value: str
    reference: str
    transaction: str
    created_at: str
    object_: str | Unset = "points_redemption"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        environment = self.environment

        holder = self.holder

        wallet = self.wallet

        points = self.points

        programme = self.programme

        rate = self.rate

        value = self.value

        reference = self.reference

        transaction = self.transaction

        created_at = self.created_at

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "environment": environment,
                "holder": holder,
                "wallet": wallet,
                "points": points,
                "programme": programme,
                "rate": rate,
                "value": value,
                "reference": reference,
                "transaction": transaction,
                "created_at": created_at,
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

        holder = d.pop("holder")

        wallet = d.pop("wallet")

        points = d.pop("points")

        programme = d.pop("programme")

        rate = d.pop("rate")

        value = d.pop("value")

        reference = d.pop("reference")

        transaction = d.pop("transaction")

        created_at = d.pop("created_at")

        object_ = d.pop("object", UNSET)

        points_redemption = cls(
            id=id,
            environment=environment,
            holder=holder,
            wallet=wallet,
            points=points,
            programme=programme,
            rate=rate,
            value=value,
            reference=reference,
            transaction=transaction,
            created_at=created_at,
            object_=object_,
        )

        points_redemption.additional_properties = d
        return points_redemption

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
