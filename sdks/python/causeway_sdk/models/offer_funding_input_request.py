from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.currency_enum import CurrencyEnum, check_currency_enum

T = TypeVar("T", bound="OfferFundingInputRequest")


@_attrs_define
class OfferFundingInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            amount (int):
            currency (CurrencyEnum):
    """

    amount: int
    currency: CurrencyEnum

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        currency: str = self.currency

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "currency": currency,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        amount = d.pop("amount")

        currency = check_currency_enum(d.pop("currency"))

        offer_funding_input_request = cls(
            amount=amount,
            currency=currency,
        )

        return offer_funding_input_request
