from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cash_flow import CashFlow
    from ..models.category_insight import CategoryInsight
    from ..models.recurring import Recurring


T = TypeVar("T", bound="Insights")


@_attrs_define
class Insights:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        holder (str):
        currency (str):
        from_ (str):
        to (str):
        income (int): Money in (not refunds), minor units.
        spending (int): Money out (not reversed payments), minor units.
        refunds (int): Merchant refunds received, minor units.
        by_category (list[CategoryInsight]):
        cash_flow (list[CashFlow]):
        recurring (list[Recurring]):
        object_ (str | Unset):  Default: 'insights'.
    """

    holder: str
    currency: str
    from_: str
    to: str
    income: int
    spending: int
    refunds: int
    by_category: list[CategoryInsight]
    cash_flow: list[CashFlow]
    recurring: list[Recurring]
    object_: str | Unset = "insights"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        holder = self.holder

        currency = self.currency

        from_ = self.from_

        to = self.to

        income = self.income

        spending = self.spending

        refunds = self.refunds

        by_category = []
        for by_category_item_data in self.by_category:
            by_category_item = by_category_item_data.to_dict()
            by_category.append(by_category_item)

        cash_flow = []
        for cash_flow_item_data in self.cash_flow:
            cash_flow_item = cash_flow_item_data.to_dict()
            cash_flow.append(cash_flow_item)

        recurring = []
        for recurring_item_data in self.recurring:
            recurring_item = recurring_item_data.to_dict()
            recurring.append(recurring_item)

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "holder": holder,
                "currency": currency,
                "from": from_,
                "to": to,
                "income": income,
                "spending": spending,
                "refunds": refunds,
                "by_category": by_category,
                "cash_flow": cash_flow,
                "recurring": recurring,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.cash_flow import CashFlow
        from ..models.category_insight import CategoryInsight
        from ..models.recurring import Recurring

        d = dict(src_dict)
        holder = d.pop("holder")

        currency = d.pop("currency")

        from_ = d.pop("from")

        to = d.pop("to")

        income = d.pop("income")

        spending = d.pop("spending")

        refunds = d.pop("refunds")

        by_category = []
        _by_category = d.pop("by_category")
        for by_category_item_data in _by_category:
            by_category_item = CategoryInsight.from_dict(by_category_item_data)

            by_category.append(by_category_item)

        cash_flow = []
        _cash_flow = d.pop("cash_flow")
        for cash_flow_item_data in _cash_flow:
            cash_flow_item = CashFlow.from_dict(cash_flow_item_data)

            cash_flow.append(cash_flow_item)

        recurring = []
        _recurring = d.pop("recurring")
        for recurring_item_data in _recurring:
            recurring_item = Recurring.from_dict(recurring_item_data)

            recurring.append(recurring_item)

        object_ = d.pop("object", UNSET)

        insights = cls(
            holder=holder,
            currency=currency,
            from_=from_,
            to=to,
            income=income,
            spending=spending,
            refunds=refunds,
            by_category=by_category,
            cash_flow=cash_flow,
            recurring=recurring,
            object_=object_,
        )

        insights.additional_properties = d
        return insights

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
