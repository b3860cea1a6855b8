from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CashFlow")


@_attrs_define
class CashFlow:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        month (str): `YYYY-MM`.
        income (int):
        spending (int):
        net (int):
    """

    month: str
    income: int
    spending: int
    net: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        month = self.month

        income = self.income

        spending = self.spending

        net = self.net

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "month": month,
                "income": income,
                "spending": spending,
                "net": net,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        month = d.pop("month")

        income = d.pop("income")

        spending = d.pop("spending")

        net = d.pop("net")

        cash_flow = cls(
            month=month,
            income=income,
            spending=spending,
            net=net,
        )

        cash_flow.additional_properties = d
        return cash_flow

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
