from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="Balance")


@_attrs_define
class Balance:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        wallet (str):
        ledger (Money): A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC
            3339 UTC.
        available (Money): A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC
            3339 UTC.
        pending (Money): A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC
            3339 UTC.
        as_of (datetime.datetime): When these figures were read.
        last_transaction (None | str): The transaction that last changed these figures (`txn_...`), if any.
        object_ (str | Unset):  Default: 'balance'.
    """

    wallet: str
    ledger: Money
    available: Money
    pending: Money
    as_of: datetime.datetime
    last_transaction: None | str
    object_: str | Unset = "balance"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        wallet = self.wallet

        ledger = self.ledger.to_dict()

        available = self.available.to_dict()

        pending = self.pending.to_dict()

        as_of = self.as_of.isoformat()

        last_transaction: None | str
        last_transaction = self.last_transaction

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "wallet": wallet,
                "ledger": ledger,
                "available": available,
                "pending": pending,
                "as_of": as_of,
                "last_transaction": last_transaction,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.money import Money

        d = dict(src_dict)
        wallet = d.pop("wallet")

        ledger = Money.from_dict(d.pop("ledger"))

        available = Money.from_dict(d.pop("available"))

        pending = Money.from_dict(d.pop("pending"))

        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))

        def _parse_last_transaction(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_transaction = _parse_last_transaction(d.pop("last_transaction"))

        object_ = d.pop("object", UNSET)

        balance = cls(
            wallet=wallet,
            ledger=ledger,
            available=available,
            pending=pending,
            as_of=as_of,
            last_transaction=last_transaction,
            object_=object_,
        )

        balance.additional_properties = d
        return balance

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
