from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Faults")


@_attrs_define
class Faults:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        enabled (bool): Whether a fault is injected into this sandbox's requests.
        latency_ms (int): Delay before the answer, in ms (0 when none).
        status (int | None): The status answered instead (500, 503 or 429).
        rate (float): The share of requests the fault applies to (0 to 1).
        object_ (str | Unset):  Default: 'sandbox_faults'.
    """

    enabled: bool
    latency_ms: int
    status: int | None
    rate: float
    object_: str | Unset = "sandbox_faults"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        latency_ms = self.latency_ms

        status: int | None
        status = self.status

        rate = self.rate

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "enabled": enabled,
                "latency_ms": latency_ms,
                "status": status,
                "rate": rate,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        enabled = d.pop("enabled")

        latency_ms = d.pop("latency_ms")

        def _parse_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status = _parse_status(d.pop("status"))

        rate = d.pop("rate")

        object_ = d.pop("object", UNSET)

        faults = cls(
            enabled=enabled,
            latency_ms=latency_ms,
            status=status,
            rate=rate,
            object_=object_,
        )

        faults.additional_properties = d
        return faults

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
