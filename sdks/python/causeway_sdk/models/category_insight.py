from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CategoryInsight")


@_attrs_define
class CategoryInsight:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        category (str):
        amount (int): Spent in the window, minor units.
        count (int):
        previous_amount (int): Spent in the previous period of the same length.
        change (int): `amount - previous_amount`.
        change_percent (None | str): Decimal string; `null` when nothing before.
    """

    category: str
    amount: int
    count: int
    previous_amount: int
    change: int
    change_percent: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        amount = self.amount

        count = self.count

        previous_amount = self.previous_amount

        change = self.change

        change_percent: None | str
        change_percent = self.change_percent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "amount": amount,
                "count": count,
                "previous_amount": previous_amount,
                "change": change,
                "change_percent": change_percent,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        category = d.pop("category")

        amount = d.pop("amount")

        count = d.pop("count")

        previous_amount = d.pop("previous_amount")

        change = d.pop("change")

        def _parse_change_percent(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        change_percent = _parse_change_percent(d.pop("change_percent"))

        category_insight = cls(
            category=category,
            amount=amount,
            count=count,
            previous_amount=previous_amount,
            change=change,
            change_percent=change_percent,
        )

        category_insight.additional_properties = d
        return category_insight

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
