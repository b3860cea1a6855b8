from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.currency_enum import CurrencyEnum, check_currency_enum

if TYPE_CHECKING:
    from ..models.merchant_request import MerchantRequest


T = TypeVar("T", bound="CardTransactionInputRequest")


@_attrs_define
class CardTransactionInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            wallet (str): The sandbox wallet (`wal_...`) paying.
            amount (int): Minor units, positive.
            currency (CurrencyEnum):
            merchant (MerchantRequest): A request body: refuses fields it does not declare (``parameter_unknown``) instead
                of ignoring them,
                so a typo in a field name is an error rather than a silently dropped parameter.
    """

    wallet: str
    amount: int
    currency: CurrencyEnum
    merchant: MerchantRequest

    def to_dict(self) -> dict[str, Any]:
        wallet = self.wallet

        amount = self.amount

        currency: str = self.currency

        merchant = self.merchant.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "wallet": wallet,
                "amount": amount,
                "currency": currency,
                "merchant": merchant,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.merchant_request import MerchantRequest

        d = dict(src_dict)
        wallet = d.pop("wallet")

        amount = d.pop("amount")

        currency = check_currency_enum(d.pop("currency"))

        merchant = MerchantRequest.from_dict(d.pop("merchant"))

        card_transaction_input_request = cls(
            wallet=wallet,
            amount=amount,
            currency=currency,
            merchant=merchant,
        )

        return card_transaction_input_request
