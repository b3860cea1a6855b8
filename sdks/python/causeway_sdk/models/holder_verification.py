from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.holder_verification_document_type_enum import (
    HolderVerificationDocumentTypeEnum,
    check_holder_verification_document_type_enum,
)
from ..models.holder_verification_status_enum import (
    HolderVerificationStatusEnum,
    check_holder_verification_status_enum,
)
from ..models.holder_verification_tier_enum import (
    HolderVerificationTierEnum,
    check_holder_verification_tier_enum,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="HolderVerification")


@_attrs_define
class HolderVerification:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        id (str):
        environment (str):
        holder (str):
        document_type (HolderVerificationDocumentTypeEnum):
        country (str): ISO 3166-1 alpha-2: the country that issued the document.
        document_last4 (str): The last four characters of the document number.
        tier (HolderVerificationTierEnum):
        status (HolderVerificationStatusEnum):
        failure_code (None | str): Why it was rejected (`document_rejected`).
        created_at (datetime.datetime):
        decided_at (datetime.datetime | None): When it was approved or rejected.
        object_ (str | Unset):  Default: 'holder_verification'.
    """

    id: str
    environment: str
    holder: str
    document_type: HolderVerificationDocumentTypeEnum
    country: str
    document_last4: str
    tier: HolderVerificationTierEnum
    status: HolderVerificationStatusEnum
    failure_code: None | str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    object_: str | Unset = "holder_verification"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        environment = self.environment

        holder = self.holder

        document_type: str = self.document_type

        country = self.country

        document_last4 = self.document_last4

        tier: str = self.tier

        status: str = self.status

        failure_code: None | str
        failure_code = self.failure_code

        created_at = self.created_at.isoformat()

        decided_at: None | str
        if isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "environment": environment,
                "holder": holder,
                "document_type": document_type,
                "country": country,
                "document_last4": document_last4,
                "tier": tier,
                "status": status,
                "failure_code": failure_code,
                "created_at": created_at,
                "decided_at": decided_at,
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

        holder = d.pop("holder")

        document_type = check_holder_verification_document_type_enum(
            d.pop("document_type")
        )

        country = d.pop("country")

        document_last4 = d.pop("document_last4")

        tier = check_holder_verification_tier_enum(d.pop("tier"))

        status = check_holder_verification_status_enum(d.pop("status"))

        def _parse_failure_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        failure_code = _parse_failure_code(d.pop("failure_code"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_decided_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        decided_at = _parse_decided_at(d.pop("decided_at"))

        object_ = d.pop("object", UNSET)

        holder_verification = cls(
            id=id,
            environment=environment,
            holder=holder,
            document_type=document_type,
            country=country,
            document_last4=document_last4,
            tier=tier,
            status=status,
            failure_code=failure_code,
            created_at=created_at,
            decided_at=decided_at,
            object_=object_,
        )

        holder_verification.additional_properties = d
        return holder_verification

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
