from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.credential import Credential


T = TypeVar("T", bound="PartnerWhoami")


@_attrs_define
class PartnerWhoami:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        id (str):
        name (str):
        environment (str): `sandbox` or `live`.
        livemode (bool):
        api_version (str):
        environments (list[str]): Environments the partner has.
        credential (Credential): A response object: ``id`` is the public id, ``object`` names the type, ``created_at``
            is RFC 3339 UTC.
        created_at (datetime.datetime):
        object_ (str | Unset):  Default: 'partner'.
    """

    id: str
    name: str
    environment: str
    livemode: bool
    api_version: str
    environments: list[str]
    credential: Credential
    created_at: datetime.datetime
    object_: str | Unset = "partner"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        environment = self.environment

        livemode = self.livemode

        api_version = self.api_version

        environments = self.environments

        credential = self.credential.to_dict()

        created_at = self.created_at.isoformat()

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "environment": environment,
                "livemode": livemode,
                "api_version": api_version,
                "environments": environments,
                "credential": credential,
                "created_at": created_at,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.credential import Credential

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        environment = d.pop("environment")

        livemode = d.pop("livemode")

        api_version = d.pop("api_version")

        environments = cast(list[str], d.pop("environments"))

        credential = Credential.from_dict(d.pop("credential"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        object_ = d.pop("object", UNSET)

        partner_whoami = cls(
            id=id,
            name=name,
            environment=environment,
            livemode=livemode,
            api_version=api_version,
            environments=environments,
            credential=credential,
            created_at=created_at,
            object_=object_,
        )

        partner_whoami.additional_properties = d
        return partner_whoami

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
