from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.merchant_category_enum import (
    MerchantCategoryEnum,
    check_merchant_category_enum,
)

T = TypeVar("T", bound="MerchantRequest")


@_attrs_define
class MerchantRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            name (str):
            category (MerchantCategoryEnum):
    """

    name: str
    category: MerchantCategoryEnum

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        category: str = self.category

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "category": category,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        category = check_merchant_category_enum(d.pop("category"))

        merchant_request = cls(
            name=name,
            category=category,
        )

        return merchant_request
