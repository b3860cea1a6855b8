from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.api_version_enum import ApiVersionEnum, check_api_version_enum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.endpoint_create_input_request_metadata import (
        EndpointCreateInputRequestMetadata,
    )


T = TypeVar("T", bound="EndpointCreateInputRequest")


@_attrs_define
class EndpointCreateInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            url (str): https URL (plain http to localhost only where the deployment allows it).
            enabled_events (Any): `["*"]` for every event type, or a list of types (see the webhooks guide).
            description (str | Unset):  Default: ''.
            api_version (ApiVersionEnum | Unset): * `2026-11-01` - 2026-11-01
                * `2026-12-07` - 2026-12-07
            metadata (EndpointCreateInputRequestMetadata | Unset):
    """

    url: str
    enabled_events: Any
    description: str | Unset = ""
    api_version: ApiVersionEnum | Unset = UNSET
    metadata: EndpointCreateInputRequestMetadata | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        enabled_events: Any
        enabled_events = self.enabled_events

        description = self.description

        api_version: str | Unset = UNSET
        if not isinstance(self.api_version, Unset):
            api_version = self.api_version

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
                "enabled_events": enabled_events,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if api_version is not UNSET:
            field_dict["api_version"] = api_version
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.endpoint_create_input_request_metadata import (
            EndpointCreateInputRequestMetadata,
        )

        d = dict(src_dict)
        url = d.pop("url")

        def _parse_enabled_events(data: object) -> Any:
            return cast(Any, data)

        enabled_events = _parse_enabled_events(d.pop("enabled_events"))

        description = d.pop("description", UNSET)

        _api_version = d.pop("api_version", UNSET)
        api_version: ApiVersionEnum | Unset
        if isinstance(_api_version, Unset):
            api_version = UNSET
        else:
            api_version = check_api_version_enum(_api_version)

        _metadata = d.pop("metadata", UNSET)
        metadata: EndpointCreateInputRequestMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = EndpointCreateInputRequestMetadata.from_dict(_metadata)

        endpoint_create_input_request = cls(
            url=url,
            enabled_events=enabled_events,
            description=description,
            api_version=api_version,
            metadata=metadata,
        )

        return endpoint_create_input_request
