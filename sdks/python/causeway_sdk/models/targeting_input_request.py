from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.merchant_category_enum import (
    MerchantCategoryEnum,
    check_merchant_category_enum,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="TargetingInputRequest")


@_attrs_define
class TargetingInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            categories (list[MerchantCategoryEnum] | Unset):
            min_spend_90d (int | Unset): Minor units spent in those categories in the last 90 days.
    """

    categories: list[MerchantCategoryEnum] | Unset = UNSET
    min_spend_90d: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        categories: list[str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = []
            for categories_item_data in self.categories:
                categories_item: str = categories_item_data
                categories.append(categories_item)

        min_spend_90d = self.min_spend_90d

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if categories is not UNSET:
            field_dict["categories"] = categories
        if min_spend_90d is not UNSET:
            field_dict["min_spend_90d"] = min_spend_90d

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _categories = d.pop("categories", UNSET)
        categories: list[MerchantCategoryEnum] | Unset = UNSET
        if _categories is not UNSET:
            categories = []
            for categories_item_data in _categories:
                categories_item = check_merchant_category_enum(categories_item_data)

                categories.append(categories_item)

        min_spend_90d = d.pop("min_spend_90d", UNSET)

        targeting_input_request = cls(
            categories=categories,
            min_spend_90d=min_spend_90d,
        )

        return targeting_input_request
