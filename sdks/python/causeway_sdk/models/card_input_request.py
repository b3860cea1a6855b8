from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.brand_enum import BrandEnum, check_brand_enum
from ..types import UNSET, Unset

T = TypeVar("T", bound="CardInputRequest")


@_attrs_define
class CardInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            brand (BrandEnum): * `visa` - visa
                * `mastercard` - mastercard
                * `amex` - amex
                * `discover` - discover
                * `other` - other
            last4 (str): The last four digits only. Full card numbers are refused.
            exp_month (int):
            exp_year (int): Four digits.
            holder_name (str | Unset):
    """

    brand: BrandEnum
    last4: str
    exp_month: int
    exp_year: int
    holder_name: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        brand: str = self.brand

        last4 = self.last4

        exp_month = self.exp_month

        exp_year = self.exp_year

        holder_name = self.holder_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "brand": brand,
                "last4": last4,
                "exp_month": exp_month,
                "exp_year": exp_year,
            }
        )
        if holder_name is not UNSET:
            field_dict["holder_name"] = holder_name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        brand = check_brand_enum(d.pop("brand"))

        last4 = d.pop("last4")

        exp_month = d.pop("exp_month")

        exp_year = d.pop("exp_year")

        holder_name = d.pop("holder_name", UNSET)

        card_input_request = cls(
            brand=brand,
            last4=last4,
            exp_month=exp_month,
            exp_year=exp_year,
            holder_name=holder_name,
        )

        return card_input_request
