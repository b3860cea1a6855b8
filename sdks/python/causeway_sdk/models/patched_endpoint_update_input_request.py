from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.api_version_enum import ApiVersionEnum, check_api_version_enum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.patched_endpoint_update_input_request_metadata import (
        PatchedEndpointUpdateInputRequestMetadata,
    )


T = TypeVar("T", bound="PatchedEndpointUpdateInputRequest")


@_attrs_define
class PatchedEndpointUpdateInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            url (str | Unset):
            enabled_events (Any | Unset): `["*"]` for every event type, or a list of types (see the webhooks guide).
            description (str | Unset):
            api_version (ApiVersionEnum | Unset): * `2026-11-01` - 2026-11-01
                * `2026-12-07` - 2026-12-07
            metadata (PatchedEndpointUpdateInputRequestMetadata | Unset):
            disabled (bool | Unset): true stops deliveries (pending ones are canceled); false enables it again.
    """

    url: str | Unset = UNSET
    enabled_events: Any | Unset = UNSET
    description: str | Unset = UNSET
    api_version: ApiVersionEnum | Unset = UNSET
    metadata: PatchedEndpointUpdateInputRequestMetadata | Unset = UNSET
    disabled: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        enabled_events: Any | Unset
        if isinstance(self.enabled_events, Unset):
            enabled_events = UNSET
        else:
            enabled_events = self.enabled_events

        description = self.description

        api_version: str | Unset = UNSET
        if not isinstance(self.api_version, Unset):
            api_version = self.api_version

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        disabled = self.disabled

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if enabled_events is not UNSET:
            field_dict["enabled_events"] = enabled_events
        if description is not UNSET:
            field_dict["description"] = description
        if api_version is not UNSET:
            field_dict["api_version"] = api_version
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if disabled is not UNSET:
            field_dict["disabled"] = disabled

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.patched_endpoint_update_input_request_metadata import (
            PatchedEndpointUpdateInputRequestMetadata,
        )

        d = dict(src_dict)
        url = d.pop("url", UNSET)

        def _parse_enabled_events(data: object) -> Any | Unset:
            if isinstance(data, Unset):
                return data
            return cast(Any | Unset, data)

        enabled_events = _parse_enabled_events(d.pop("enabled_events", UNSET))

        description = d.pop("description", UNSET)

        _api_version = d.pop("api_version", UNSET)
        api_version: ApiVersionEnum | Unset
        if isinstance(_api_version, Unset):
            api_version = UNSET
        else:
            api_version = check_api_version_enum(_api_version)

        _metadata = d.pop("metadata", UNSET)
        metadata: PatchedEndpointUpdateInputRequestMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = PatchedEndpointUpdateInputRequestMetadata.from_dict(_metadata)

        disabled = d.pop("disabled", UNSET)

        patched_endpoint_update_input_request = cls(
            url=url,
            enabled_events=enabled_events,
            description=description,
            api_version=api_version,
            metadata=metadata,
            disabled=disabled,
        )

        return patched_endpoint_update_input_request
