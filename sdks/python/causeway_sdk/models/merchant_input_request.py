from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.merchant_category_enum import (
    MerchantCategoryEnum,
    check_merchant_category_enum,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="MerchantInputRequest")


@_attrs_define
class MerchantInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            name (str): Matched against the card payment's merchant name, ignoring case.
            category (MerchantCategoryEnum | None | Unset): If set, the payment's category must be this one.
    """

    name: str
    category: MerchantCategoryEnum | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        elif isinstance(self.category, str):
            category = self.category
        else:
            category = self.category

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if category is not UNSET:
            field_dict["category"] = category

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_category(data: object) -> MerchantCategoryEnum | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                category_type_0 = check_merchant_category_enum(data)

                return category_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MerchantCategoryEnum | None | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        merchant_input_request = cls(
            name=name,
            category=category,
        )

        return merchant_input_request
