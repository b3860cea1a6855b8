from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="TransferFx")


@_attrs_define
class TransferFx:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        quote (str):
        rate (str): Units of the destination currency per unit of the source, as a string.
        destination_amount (Money): A response object: ``id`` is the public id, ``object`` names the type,
            ``created_at`` is RFC 3339 UTC.
        fee (Money): A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339
            UTC.
    """

    quote: str
    rate: str
    destination_amount: Money
    fee: Money
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        quote = self.quote

        rate = self.rate

        destination_amount = self.destination_amount.to_dict()

        fee = self.fee.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "quote": quote,
                "rate": rate,
                "destination_amount": destination_amount,
                "fee": fee,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.money import Money

        d = dict(src_dict)
        quote = d.pop("quote")

        rate = d.pop("rate")

        destination_amount = Money.from_dict(d.pop("destination_amount"))

        fee = Money.from_dict(d.pop("fee"))

        transfer_fx = cls(
            quote=quote,
            rate=rate,
            destination_amount=destination_amount,
            fee=fee,
        )

        transfer_fx.additional_properties = d
        return transfer_fx

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
