from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.currency_enum import CurrencyEnum, check_currency_enum
from ..types import UNSET, Unset

T = TypeVar("T", bound="DepositInputRequest")


@_attrs_define
class DepositInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            wallet (str): The sandbox wallet (`wal_...`) the money arrives in.
            amount (int): Minor units, positive.
            currency (CurrencyEnum):
            description (str | Unset):  Default: ''.
            sender_name (str | Unset):  Default: ''.
            reference (str | Unset):  Default: ''.
    """

    wallet: str
    amount: int
    currency: CurrencyEnum
    description: str | Unset = ""
    sender_name: str | Unset = ""
    reference: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        wallet = self.wallet

        amount = self.amount

        currency: str = self.currency

        description = self.description

        sender_name = self.sender_name

        reference = self.reference

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "wallet": wallet,
                "amount": amount,
                "currency": currency,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if sender_name is not UNSET:
            field_dict["sender_name"] = sender_name
        if reference is not UNSET:
            field_dict["reference"] = reference

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        wallet = d.pop("wallet")

        amount = d.pop("amount")

        currency = check_currency_enum(d.pop("currency"))

        description = d.pop("description", UNSET)

        sender_name = d.pop("sender_name", UNSET)

        reference = d.pop("reference", UNSET)

        deposit_input_request = cls(
            wallet=wallet,
            amount=amount,
            currency=currency,
            description=description,
            sender_name=sender_name,
            reference=reference,
        )

        return deposit_input_request
