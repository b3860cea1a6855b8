from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.account_type_enum import AccountTypeEnum, check_account_type_enum

T = TypeVar("T", bound="JournalLine")


@_attrs_define
class JournalLine:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        kind (str): transfer, fx, hold_capture, deposit, transfer_reversal...
        reversal (None | str): The `trr_...` this line belongs to, if any.
        account (str): A wallet id, or a system account: clearing:bank, fees, fx.
        account_type (AccountTypeEnum): * `wallet` - wallet
            * `system` - system
        amount (int): Signed minor units; each journal sums to zero per currency.
        currency (str):
        posted_at (datetime.datetime):
    """

    kind: str
    reversal: None | str
    account: str
    account_type: AccountTypeEnum
    amount: int
    currency: str
    posted_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        reversal: None | str
        reversal = self.reversal

        account = self.account

        account_type: str = self.account_type

        amount = self.amount

        currency = self.currency

        posted_at = self.posted_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "reversal": reversal,
                "account": account,
                "account_type": account_type,
                "amount": amount,
                "currency": currency,
                "posted_at": posted_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kind = d.pop("kind")

        def _parse_reversal(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reversal = _parse_reversal(d.pop("reversal"))

        account = d.pop("account")

        account_type = check_account_type_enum(d.pop("account_type"))

        amount = d.pop("amount")

        currency = d.pop("currency")

        posted_at = datetime.datetime.fromisoformat(d.pop("posted_at"))

        journal_line = cls(
            kind=kind,
            reversal=reversal,
            account=account,
            account_type=account_type,
            amount=amount,
            currency=currency,
            posted_at=posted_at,
        )

        journal_line.additional_properties = d
        return journal_line

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
