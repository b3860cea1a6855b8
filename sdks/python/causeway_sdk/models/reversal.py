from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.environment_enum import EnvironmentEnum, check_environment_enum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.reversal_metadata import ReversalMetadata


T = TypeVar("T", bound="Reversal")


@_attrs_define
class Reversal:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        id (str): `trr_...`
        environment (EnvironmentEnum): * `sandbox` - sandbox
            * `live` - live
        transfer (str):
        amount (int):
        currency (str):
        description (str):
        metadata (ReversalMetadata):
        created_at (datetime.datetime):
        object_ (str | Unset):  Default: 'transfer_reversal'.
    """

    id: str
    environment: EnvironmentEnum
    transfer: str
    amount: int
    currency: str
    description: str
    metadata: ReversalMetadata
    created_at: datetime.datetime
    object_: str | Unset = "transfer_reversal"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        environment: str = self.environment

        transfer = self.transfer

        amount = self.amount

        currency = self.currency

        description = self.description

        metadata = self.metadata.to_dict()

        created_at = self.created_at.isoformat()

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "environment": environment,
                "transfer": transfer,
                "amount": amount,
                "currency": currency,
                "description": description,
                "metadata": metadata,
                "created_at": created_at,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.reversal_metadata import ReversalMetadata

        d = dict(src_dict)
        id = d.pop("id")

        environment = check_environment_enum(d.pop("environment"))

        transfer = d.pop("transfer")

        amount = d.pop("amount")

        currency = d.pop("currency")

        description = d.pop("description")

        metadata = ReversalMetadata.from_dict(d.pop("metadata"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        object_ = d.pop("object", UNSET)

        reversal = cls(
            id=id,
            environment=environment,
            transfer=transfer,
            amount=amount,
            currency=currency,
            description=description,
            metadata=metadata,
            created_at=created_at,
            object_=object_,
        )

        reversal.additional_properties = d
        return reversal

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
