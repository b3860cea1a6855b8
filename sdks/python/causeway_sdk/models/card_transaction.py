from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.card_transaction_status_enum import (
    CardTransactionStatusEnum,
    check_card_transaction_status_enum,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.merchant_output import MerchantOutput


T = TypeVar("T", bound="CardTransaction")


@_attrs_define
class CardTransaction:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        id (str): `ctx_...`
        environment (str):
        wallet (str):
        status (CardTransactionStatusEnum): * `pending` - pending
            * `posted` - posted
            * `reversed` - reversed
        amount (int):
        currency (str):
        merchant (MerchantOutput): A response object: ``id`` is the public id, ``object`` names the type, ``created_at``
            is RFC 3339 UTC.
        transaction (str): The wallet's transaction (`txn_...`): pending, then posted or reversed.
        authorized_at (datetime.datetime):
        created_at (datetime.datetime):
        object_ (str | Unset):  Default: 'sandbox_card_transaction'.
    """

    id: str
    environment: str
    wallet: str
    status: CardTransactionStatusEnum
    amount: int
    currency: str
    merchant: MerchantOutput
    transaction: str
    authorized_at: datetime.datetime
    created_at: datetime.datetime
    object_: str | Unset = "sandbox_card_transaction"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        environment = self.environment

        wallet = self.wallet

        status: str = self.status

        amount = self.amount

        currency = self.currency

        merchant = self.merchant.to_dict()

        transaction = self.transaction

        authorized_at = self.authorized_at.isoformat()

        created_at = self.created_at.isoformat()

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "environment": environment,
                "wallet": wallet,
                "status": status,
                "amount": amount,
                "currency": currency,
                "merchant": merchant,
                "transaction": transaction,
                "authorized_at": authorized_at,
                "created_at": created_at,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.merchant_output import MerchantOutput

        d = dict(src_dict)
        id = d.pop("id")

        environment = d.pop("environment")

        wallet = d.pop("wallet")

        status = check_card_transaction_status_enum(d.pop("status"))

        amount = d.pop("amount")

        currency = d.pop("currency")

        merchant = MerchantOutput.from_dict(d.pop("merchant"))

        transaction = d.pop("transaction")

        authorized_at = datetime.datetime.fromisoformat(d.pop("authorized_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        object_ = d.pop("object", UNSET)

        card_transaction = cls(
            id=id,
            environment=environment,
            wallet=wallet,
            status=status,
            amount=amount,
            currency=currency,
            merchant=merchant,
            transaction=transaction,
            authorized_at=authorized_at,
            created_at=created_at,
            object_=object_,
        )

        card_transaction.additional_properties = d
        return card_transaction

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
