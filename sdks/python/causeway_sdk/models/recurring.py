from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Recurring")


@_attrs_define
class Recurring:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        merchant (str):
        category (str):
        direction (str): `in` or `out`.
        amount (int): Typical (median) amount, minor units.
        cadence (str): `weekly`, `monthly` or `yearly`.
        occurrences (int):
        last_at (str):
        next_expected_at (str):
    """

    merchant: str
    category: str
    direction: str
    amount: int
    cadence: str
    occurrences: int
    last_at: str
    next_expected_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        merchant = self.merchant

        category = self.category

        direction = self.direction

        amount = self.amount

        cadence = self.cadence

        occurrences = self.occurrences

        last_at = self.last_at

        next_expected_at = self.next_expected_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "merchant": merchant,
                "category": category,
                "direction": direction,
                "amount": amount,
                "cadence": cadence,
                "occurrences": occurrences,
                "last_at": last_at,
                "next_expected_at": next_expected_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        merchant = d.pop("merchant")

        category = d.pop("category")

        direction = d.pop("direction")

        amount = d.pop("amount")

        cadence = d.pop("cadence")

        occurrences = d.pop("occurrences")

        last_at = d.pop("last_at")

        next_expected_at = d.pop("next_expected_at")

        recurring = cls(
            merchant=merchant,
            category=category,
            direction=direction,
            amount=amount,
            cadence=cadence,
            occurrences=occurrences,
            last_at=last_at,
            next_expected_at=next_expected_at,
        )

        recurring.additional_properties = d
        return recurring

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
