from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BankAccount")


@_attrs_define
class BankAccount:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        account_holder_name (str):
        bank_country (str): ISO 3166-1 alpha-2, from the IBAN (GB for sort codes).
        last4 (str):
        masked (str): `••••` and the last four characters.
        currency (None | str): ISO 4217, or null when it cannot be assumed.
    """

    account_holder_name: str
    bank_country: str
    last4: str
    masked: str
    currency: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_holder_name = self.account_holder_name

        bank_country = self.bank_country

        last4 = self.last4

        masked = self.masked

        currency: None | str
        currency = self.currency

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_holder_name": account_holder_name,
                "bank_country": bank_country,
                "last4": last4,
                "masked": masked,
                "currency": currency,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        account_holder_name = d.pop("account_holder_name")

        bank_country = d.pop("bank_country")

        last4 = d.pop("last4")

        masked = d.pop("masked")

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        bank_account = cls(
            account_holder_name=account_holder_name,
            bank_country=bank_country,
            last4=last4,
            masked=masked,
            currency=currency,
        )

        bank_account.additional_properties = d
        return bank_account

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
