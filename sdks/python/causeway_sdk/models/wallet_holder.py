from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.kyc_tier_enum import KycTierEnum, check_kyc_tier_enum
from ..models.wallet_holder_status_enum import (
    WalletHolderStatusEnum,
    check_wallet_holder_status_enum,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="WalletHolder")


@_attrs_define
class WalletHolder:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        id (str):
        environment (str):
        name (str):
        email (str): Empty when unknown.
        kyc_tier (KycTierEnum):
        status (WalletHolderStatusEnum):
        created_at (datetime.datetime):
        object_ (str | Unset):  Default: 'wallet_holder'.
    """

    id: str
    environment: str
    name: str
    email: str
    kyc_tier: KycTierEnum
    status: WalletHolderStatusEnum
    created_at: datetime.datetime
    object_: str | Unset = "wallet_holder"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        environment = self.environment

        name = self.name

        email = self.email

        kyc_tier: str = self.kyc_tier

        status: str = self.status

        created_at = self.created_at.isoformat()

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "environment": environment,
                "name": name,
                "email": email,
                "kyc_tier": kyc_tier,
                "status": status,
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

        name = d.pop("name")

        email = d.pop("email")

        kyc_tier = check_kyc_tier_enum(d.pop("kyc_tier"))

        status = check_wallet_holder_status_enum(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        object_ = d.pop("object", UNSET)

        wallet_holder = cls(
            id=id,
            environment=environment,
            name=name,
            email=email,
            kyc_tier=kyc_tier,
            status=status,
            created_at=created_at,
            object_=object_,
        )

        wallet_holder.additional_properties = d
        return wallet_holder

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
