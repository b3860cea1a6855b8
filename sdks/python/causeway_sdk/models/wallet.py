from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.wallet_status_enum import WalletStatusEnum, check_wallet_status_enum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="Wallet")


@_attrs_define
class Wallet:
    """Balances are shown only to credentials holding ``balances:read`` (context ``show_balances``); others see
    ``null`` there.

        Attributes:
            id (str):
            environment (str):
            holder (str): The holder's id (`ph_...`).
            currency (str):
            status (WalletStatusEnum):
            ledger_balance (Money | None): Posted money; `null` without `balances:read`.
            available_balance (Money | None): Ledger balance minus holds; `null` without `balances:read`.
            created_at (datetime.datetime):
            object_ (str | Unset):  Default: 'wallet'.
    """

    id: str
    environment: str
    holder: str
    currency: str
    status: WalletStatusEnum
    ledger_balance: Money | None
    available_balance: Money | None
    created_at: datetime.datetime
    object_: str | Unset = "wallet"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money

        id = self.id

        environment = self.environment

        holder = self.holder

        currency = self.currency

        status: str = self.status

        ledger_balance: dict[str, Any] | None
        if isinstance(self.ledger_balance, Money):
            ledger_balance = self.ledger_balance.to_dict()
        else:
            ledger_balance = self.ledger_balance

        available_balance: dict[str, Any] | None
        if isinstance(self.available_balance, Money):
            available_balance = self.available_balance.to_dict()
        else:
            available_balance = self.available_balance

        created_at = self.created_at.isoformat()

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "environment": environment,
                "holder": holder,
                "currency": currency,
                "status": status,
                "ledger_balance": ledger_balance,
                "available_balance": available_balance,
                "created_at": created_at,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.money import Money

        d = dict(src_dict)
        id = d.pop("id")

        environment = d.pop("environment")

        holder = d.pop("holder")

        currency = d.pop("currency")

        status = check_wallet_status_enum(d.pop("status"))

        def _parse_ledger_balance(data: object) -> Money | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ledger_balance_type_0 = Money.from_dict(data)

                return ledger_balance_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None, data)

        ledger_balance = _parse_ledger_balance(d.pop("ledger_balance"))

        def _parse_available_balance(data: object) -> Money | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                available_balance_type_0 = Money.from_dict(data)

                return available_balance_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None, data)

        available_balance = _parse_available_balance(d.pop("available_balance"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        object_ = d.pop("object", UNSET)

        wallet = cls(
            id=id,
            environment=environment,
            holder=holder,
            currency=currency,
            status=status,
            ledger_balance=ledger_balance,
            available_balance=available_balance,
            created_at=created_at,
            object_=object_,
        )

        wallet.additional_properties = d
        return wallet

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
