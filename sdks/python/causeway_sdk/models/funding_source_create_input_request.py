from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bank_account_input_request import BankAccountInputRequest
    from ..models.card_input_request import CardInputRequest


T = TypeVar("T", bound="FundingSourceCreateInputRequest")


@_attrs_define
class FundingSourceCreateInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            type_ (str): bank_account or card
            bank_account (BankAccountInputRequest | Unset): A request body: refuses fields it does not declare
                (``parameter_unknown``) instead of ignoring them,
                so a typo in a field name is an error rather than a silently dropped parameter.
            card (CardInputRequest | Unset): A request body: refuses fields it does not declare (``parameter_unknown``)
                instead of ignoring them,
                so a typo in a field name is an error rather than a silently dropped parameter.
    """

    type_: str
    bank_account: BankAccountInputRequest | Unset = UNSET
    card: CardInputRequest | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        bank_account: dict[str, Any] | Unset = UNSET
        if not isinstance(self.bank_account, Unset):
            bank_account = self.bank_account.to_dict()

        card: dict[str, Any] | Unset = UNSET
        if not isinstance(self.card, Unset):
            card = self.card.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )
        if bank_account is not UNSET:
            field_dict["bank_account"] = bank_account
        if card is not UNSET:
            field_dict["card"] = card

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.bank_account_input_request import BankAccountInputRequest
        from ..models.card_input_request import CardInputRequest

        d = dict(src_dict)
        type_ = d.pop("type")

        _bank_account = d.pop("bank_account", UNSET)
        bank_account: BankAccountInputRequest | Unset
        if isinstance(_bank_account, Unset):
            bank_account = UNSET
        else:
            bank_account = BankAccountInputRequest.from_dict(_bank_account)

        _card = d.pop("card", UNSET)
        card: CardInputRequest | Unset
        if isinstance(_card, Unset):
            card = UNSET
        else:
            card = CardInputRequest.from_dict(_card)

        funding_source_create_input_request = cls(
            type_=type_,
            bank_account=bank_account,
            card=card,
        )

        return funding_source_create_input_request
