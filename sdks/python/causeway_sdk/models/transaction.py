from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.transaction_category_enum import (
    TransactionCategoryEnum,
    check_transaction_category_enum,
)
from ..models.transaction_status_enum import (
    TransactionStatusEnum,
    check_transaction_status_enum,
)
from ..models.transaction_type_enum import (
    TransactionTypeEnum,
    check_transaction_type_enum,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="Transaction")


@_attrs_define
class Transaction:
    """``balance_after`` is shown only to credentials holding ``balances:read`` (context ``show_balances``).

    Attributes:
        id (str):
        environment (str):
        wallet (str):
        type_ (TransactionTypeEnum):
        status (TransactionStatusEnum):
        amount (int): Signed minor units: money in is positive, money out negative.
        currency (str):
        description (str):
        counterparty (None | str):
        merchant_name (None | str):
        category (TransactionCategoryEnum):
        balance_after (int | None): The ledger balance right after this posted; `null` while pending or without
            `balances:read`.
        booked_at (datetime.datetime):
        value_date (datetime.date):
        created_at (datetime.datetime):
        object_ (str | Unset):  Default: 'transaction'.
    """

    id: str
    environment: str
    wallet: str
    type_: TransactionTypeEnum
    status: TransactionStatusEnum
    amount: int
    currency: str
    description: str
    counterparty: None | str
    merchant_name: None | str
    category: TransactionCategoryEnum
    balance_after: int | None
    booked_at: datetime.datetime
    value_date: datetime.date
    created_at: datetime.datetime
    object_: str | Unset = "transaction"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        environment = self.environment

        wallet = self.wallet

        type_: str = self.type_

        status: str = self.status

        amount = self.amount

        currency = self.currency

        description = self.description

        counterparty: None | str
        counterparty = self.counterparty

        merchant_name: None | str
        merchant_name = self.merchant_name

        category: str = self.category

        balance_after: int | None
        balance_after = self.balance_after

        booked_at = self.booked_at.isoformat()

        value_date = self.value_date.isoformat()

        created_at = self.created_at.isoformat()

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "environment": environment,
                "wallet": wallet,
                "type": type_,
                "status": status,
                "amount": amount,
                "currency": currency,
                "description": description,
                "counterparty": counterparty,
                "merchant_name": merchant_name,
                "category": category,
                "balance_after": balance_after,
                "booked_at": booked_at,
                "value_date": value_date,
                "created_at": created_at,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        environment = d.pop("environment")

        wallet = d.pop("wallet")

        type_ = check_transaction_type_enum(d.pop("type"))

        status = check_transaction_status_enum(d.pop("status"))

        amount = d.pop("amount")

        currency = d.pop("currency")

        description = d.pop("description")

        def _parse_counterparty(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        counterparty = _parse_counterparty(d.pop("counterparty"))

        def _parse_merchant_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        merchant_name = _parse_merchant_name(d.pop("merchant_name"))

        category = check_transaction_category_enum(d.pop("category"))

        def _parse_balance_after(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        balance_after = _parse_balance_after(d.pop("balance_after"))

        booked_at = datetime.datetime.fromisoformat(d.pop("booked_at"))

        value_date = datetime.date.fromisoformat(d.pop("value_date"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        object_ = d.pop("object", UNSET)

        transaction = cls(
            id=id,
            environment=environment,
            wallet=wallet,
            type_=type_,
            status=status,
            amount=amount,
            currency=currency,
            description=description,
            counterparty=counterparty,
            merchant_name=merchant_name,
            category=category,
            balance_after=balance_after,
            booked_at=booked_at,
            value_date=value_date,
            created_at=created_at,
            object_=object_,
        )

        transaction.additional_properties = d
        return transaction

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
