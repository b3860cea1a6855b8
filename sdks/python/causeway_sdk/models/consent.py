from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.consent_status_enum import ConsentStatusEnum, check_consent_status_enum
from ..models.environment_enum import EnvironmentEnum, check_environment_enum
from ..models.revoked_by_enum import RevokedByEnum, check_revoked_by_enum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.mandate import Mandate


T = TypeVar("T", bound="Consent")


@_attrs_define
class Consent:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        id (str): `cons_...`
        environment (EnvironmentEnum): * `sandbox` - sandbox
            * `live` - live
        status (ConsentStatusEnum): * `awaiting_authorization` - Awaiting Authorization
            * `authorized` - Authorized
            * `rejected` - Rejected
            * `revoked` - Revoked
            * `expired` - Expired
        application (str): The app's client id.
        holder (str): `ph_...`
        wallets (list[str]): The wallets the holder shared.
        scopes (list[str]):
        mandates (list[Mandate]):
        expires_at (datetime.datetime):
        authorized_at (datetime.datetime | None):
        revoked_at (datetime.datetime | None):
        revoked_by (None | RevokedByEnum):
        created_at (datetime.datetime):
        object_ (str | Unset):  Default: 'consent'.
    """

    id: str
    environment: EnvironmentEnum
    status: ConsentStatusEnum
    application: str
    holder: str
    wallets: list[str]
    scopes: list[str]
    mandates: list[Mandate]
    expires_at: datetime.datetime
    authorized_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    revoked_by: None | RevokedByEnum
    created_at: datetime.datetime
    object_: str | Unset = "consent"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        environment: str = self.environment

        status: str = self.status

        application = self.application

        holder = self.holder

        wallets = self.wallets

        scopes = self.scopes

        mandates = []
        for mandates_item_data in self.mandates:
            mandates_item = mandates_item_data.to_dict()
            mandates.append(mandates_item)

        expires_at = self.expires_at.isoformat()

        authorized_at: None | str
        if isinstance(self.authorized_at, datetime.datetime):
            authorized_at = self.authorized_at.isoformat()
        else:
            authorized_at = self.authorized_at

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        revoked_by: None | str
        if isinstance(self.revoked_by, str):
            revoked_by = self.revoked_by
        else:
            revoked_by = self.revoked_by

        created_at = self.created_at.isoformat()

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "environment": environment,
                "status": status,
                "application": application,
                "holder": holder,
                "wallets": wallets,
                "scopes": scopes,
                "mandates": mandates,
                "expires_at": expires_at,
                "authorized_at": authorized_at,
                "revoked_at": revoked_at,
                "revoked_by": revoked_by,
                "created_at": created_at,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.mandate import Mandate

        d = dict(src_dict)
        id = d.pop("id")

        environment = check_environment_enum(d.pop("environment"))

        status = check_consent_status_enum(d.pop("status"))

        application = d.pop("application")

        holder = d.pop("holder")

        wallets = cast(list[str], d.pop("wallets"))

        scopes = cast(list[str], d.pop("scopes"))

        mandates = []
        _mandates = d.pop("mandates")
        for mandates_item_data in _mandates:
            mandates_item = Mandate.from_dict(mandates_item_data)

            mandates.append(mandates_item)

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_authorized_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                authorized_at_type_0 = datetime.datetime.fromisoformat(data)

                return authorized_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        authorized_at = _parse_authorized_at(d.pop("authorized_at"))

        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)

                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))

        def _parse_revoked_by(data: object) -> None | RevokedByEnum:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_by_type_0 = check_revoked_by_enum(data)

                return revoked_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RevokedByEnum, data)

        revoked_by = _parse_revoked_by(d.pop("revoked_by"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        object_ = d.pop("object", UNSET)

        consent = cls(
            id=id,
            environment=environment,
            status=status,
            application=application,
            holder=holder,
            wallets=wallets,
            scopes=scopes,
            mandates=mandates,
            expires_at=expires_at,
            authorized_at=authorized_at,
            revoked_at=revoked_at,
            revoked_by=revoked_by,
            created_at=created_at,
            object_=object_,
        )

        consent.additional_properties = d
        return consent

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
