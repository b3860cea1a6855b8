from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="FxQuote")


@_attrs_define
class FxQuote:
    """A price for converting one currency into another, held for one transfer until `expires_at`.

    Attributes:
        id (str): `fxq_...`
        environment (str): `sandbox` or `live`.
        source (Money): A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC
            3339 UTC.
        destination (Money): A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is
            RFC 3339 UTC.
        fee (Money): A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339
            UTC.
        rate (str): Mid-market rate as a decimal string: destination units per source unit.
        expires_at (datetime.datetime): Use the quote in a transfer before this time.
        used (bool): A transfer has used the quote (each quote is usable once).
        created_at (datetime.datetime):
        object_ (str | Unset):  Default: 'fx_quote'.
    """

    id: str
    environment: str
    source: Money
    destination: Money
    fee: Money
    rate: str
    expires_at: datetime.datetime
    used: bool
    created_at: datetime.datetime
    object_: str | Unset = "fx_quote"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        environment = self.environment

        source = self.source.to_dict()

        destination = self.destination.to_dict()

        fee = self.fee.to_dict()

        rate = self.rate

        expires_at = self.expires_at.isoformat()

        used = self.used

        created_at = self.created_at.isoformat()

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "environment": environment,
                "source": source,
                "destination": destination,
                "fee": fee,
                "rate": rate,
                "expires_at": expires_at,
                "used": used,
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

        source = Money.from_dict(d.pop("source"))

        destination = Money.from_dict(d.pop("destination"))

        fee = Money.from_dict(d.pop("fee"))

        rate = d.pop("rate")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        used = d.pop("used")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        object_ = d.pop("object", UNSET)

        fx_quote = cls(
            id=id,
            environment=environment,
            source=source,
            destination=destination,
            fee=fee,
            rate=rate,
            expires_at=expires_at,
            used=used,
            created_at=created_at,
            object_=object_,
        )

        fx_quote.additional_properties = d
        return fx_quote

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
