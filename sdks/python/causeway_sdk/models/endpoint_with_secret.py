from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.disabled_reason_enum import DisabledReasonEnum, check_disabled_reason_enum
from ..models.webhook_endpoint_status_enum import (
    WebhookEndpointStatusEnum,
    check_webhook_endpoint_status_enum,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.endpoint_with_secret_metadata import EndpointWithSecretMetadata


T = TypeVar("T", bound="EndpointWithSecret")


@_attrs_define
class EndpointWithSecret:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        id (str):
        environment (str):
        url (str):
        description (str):
        enabled_events (list[str]):
        api_version (str):
        metadata (EndpointWithSecretMetadata):
        status (WebhookEndpointStatusEnum):
        disabled (bool):
        disabled_reason (DisabledReasonEnum | None): manual, gone (it answered 410) or failing.
        created_at (datetime.datetime):
        secret (None | str): whsec_... (Standard Webhooks). Shown only in this response: store it now.
        object_ (str | Unset):  Default: 'webhook_endpoint'.
    """

    id: str
    environment: str
    url: str
    description: str
    enabled_events: list[str]
    api_version: str
    metadata: EndpointWithSecretMetadata
    status: WebhookEndpointStatusEnum
    disabled: bool
    disabled_reason: DisabledReasonEnum | None
    created_at: datetime.datetime
    secret: None | str
    object_: str | Unset = "webhook_endpoint"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        environment = self.environment

        url = self.url

        description = self.description

        enabled_events = self.enabled_events

        api_version = self.api_version

        metadata = self.metadata.to_dict()

        status: str = self.status

        disabled = self.disabled

        disabled_reason: None | str
        if isinstance(self.disabled_reason, str):
            disabled_reason = self.disabled_reason
        else:
            disabled_reason = self.disabled_reason

        created_at = self.created_at.isoformat()

        secret: None | str
        secret = self.secret

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "environment": environment,
                "url": url,
                "description": description,
                "enabled_events": enabled_events,
                "api_version": api_version,
                "metadata": metadata,
                "status": status,
                "disabled": disabled,
                "disabled_reason": disabled_reason,
                "created_at": created_at,
                "secret": secret,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.endpoint_with_secret_metadata import EndpointWithSecretMetadata

        d = dict(src_dict)
        id = d.pop("id")

        environment = d.pop("environment")

        url = d.pop("url")

        description = d.pop("description")

        enabled_events = cast(list[str], d.pop("enabled_events"))

        api_version = d.pop("api_version")

        metadata = EndpointWithSecretMetadata.from_dict(d.pop("metadata"))

        status = check_webhook_endpoint_status_enum(d.pop("status"))

        disabled = d.pop("disabled")

        def _parse_disabled_reason(data: object) -> DisabledReasonEnum | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                disabled_reason_type_0 = check_disabled_reason_enum(data)

                return disabled_reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DisabledReasonEnum | None, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabled_reason"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_secret(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        secret = _parse_secret(d.pop("secret"))

        object_ = d.pop("object", UNSET)

        endpoint_with_secret = cls(
            id=id,
            environment=environment,
            url=url,
            description=description,
            enabled_events=enabled_events,
            api_version=api_version,
            metadata=metadata,
            status=status,
            disabled=disabled,
            disabled_reason=disabled_reason,
            created_at=created_at,
            secret=secret,
            object_=object_,
        )

        endpoint_with_secret.additional_properties = d
        return endpoint_with_secret

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
