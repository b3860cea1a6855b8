from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.funding_source_status_enum import (
    FundingSourceStatusEnum,
    check_funding_source_status_enum,
)
from ..models.funding_source_type_enum import (
    FundingSourceTypeEnum,
    check_funding_source_type_enum,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bank_account import BankAccount
    from ..models.card import Card


T = TypeVar("T", bound="FundingSource")


@_attrs_define
class FundingSource:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        id (str):
        environment (str):
        holder (str):
        type_ (FundingSourceTypeEnum): * `bank_account` - bank_account
            * `card` - card
        position (int): 1 is tried first; 0 once removed (outside the order).
        status (FundingSourceStatusEnum): * `active` - Active
            * `removed` - Removed
        bank_account (BankAccount | None):
        card (Card | None):
        created_at (datetime.datetime):
        object_ (str | Unset):  Default: 'funding_source'.
    """

    id: str
    environment: str
    holder: str
    type_: FundingSourceTypeEnum
    position: int
    status: FundingSourceStatusEnum
    bank_account: BankAccount | None
    card: Card | None
    created_at: datetime.datetime
    object_: str | Unset = "funding_source"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.bank_account import BankAccount
        from ..models.card import Card

        id = self.id

        environment = self.environment

        holder = self.holder

        type_: str = self.type_

        position = self.position

        status: str = self.status

        bank_account: dict[str, Any] | None
        if isinstance(self.bank_account, BankAccount):
            bank_account = self.bank_account.to_dict()
        else:
            bank_account = self.bank_account

        card: dict[str, Any] | None
        if isinstance(self.card, Card):
            card = self.card.to_dict()
        else:
            card = self.card

        created_at = self.created_at.isoformat()

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "environment": environment,
                "holder": holder,
                "type": type_,
                "position": position,
                "status": status,
                "bank_account": bank_account,
                "card": card,
                "created_at": created_at,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.bank_account import BankAccount
        from ..models.card import Card

        d = dict(src_dict)
        id = d.pop("id")

        environment = d.pop("environment")

        holder = d.pop("holder")

        type_ = check_funding_source_type_enum(d.pop("type"))

        position = d.pop("position")

        status = check_funding_source_status_enum(d.pop("status"))

        def _parse_bank_account(data: object) -> BankAccount | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                bank_account_type_0 = BankAccount.from_dict(data)

                return bank_account_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BankAccount | None, data)

        bank_account = _parse_bank_account(d.pop("bank_account"))

        def _parse_card(data: object) -> Card | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                card_type_0 = Card.from_dict(data)

                return card_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Card | None, data)

        card = _parse_card(d.pop("card"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        object_ = d.pop("object", UNSET)

        funding_source = cls(
            id=id,
            environment=environment,
            holder=holder,
            type_=type_,
            position=position,
            status=status,
            bank_account=bank_account,
            card=card,
            created_at=created_at,
            object_=object_,
        )

        funding_source.additional_properties = d
        return funding_source

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
