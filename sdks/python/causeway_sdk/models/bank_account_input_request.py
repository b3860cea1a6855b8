from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BankAccountInputRequest")


@_attrs_define
class BankAccountInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            account_holder_name (str):
            iban (str | Unset): Spaces are ignored.
            sort_code (str | Unset): UK: six digits, `123456` or `12-34-56`.
            account_number (str | Unset): UK: eight digits, with a sort code.
            currency (str | Unset): ISO 4217; by default the country's currency.
    """

    account_holder_name: str
    iban: str | Unset = UNSET
    sort_code: str | Unset = UNSET
    account_number: str | Unset = UNSET
    currency: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        account_holder_name = self.account_holder_name

        iban = self.iban

        sort_code = self.sort_code

        account_number = self.account_number

        currency = self.currency

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "account_holder_name": account_holder_name,
            }
        )
        if iban is not UNSET:
            field_dict["iban"] = iban
        if sort_code is not UNSET:
            field_dict["sort_code"] = sort_code
        if account_number is not UNSET:
            field_dict["account_number"] = account_number
        if currency is not UNSET:
            field_dict["currency"] = currency

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        account_holder_name = d.pop("account_holder_name")

        iban = d.pop("iban", UNSET)

        sort_code = d.pop("sort_code", UNSET)

        account_number = d.pop("account_number", UNSET)

        currency = d.pop("currency", UNSET)

        bank_account_input_request = cls(
            account_holder_name=account_holder_name,
            iban=iban,
            sort_code=sort_code,
            account_number=account_number,
            currency=currency,
        )

        return bank_account_input_request
