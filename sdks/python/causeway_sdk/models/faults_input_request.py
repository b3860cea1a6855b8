from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.faults_input_status_enum import (
    FaultsInputStatusEnum,
    check_faults_input_status_enum,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="FaultsInputRequest")


@_attrs_define
class FaultsInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            latency_ms (int | Unset): 0 to 10000 ms. Default: 0.
            status (FaultsInputStatusEnum | None | Unset): 500, 503 or 429 (null: only the latency).
            rate (float | Unset): 0 to 1: the share of requests hit. Default: 1.0.
    """

    latency_ms: int | Unset = 0
    status: FaultsInputStatusEnum | None | Unset = UNSET
    rate: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        latency_ms = self.latency_ms

        status: int | None | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, int):
            status = self.status
        else:
            status = self.status

        rate = self.rate

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if latency_ms is not UNSET:
            field_dict["latency_ms"] = latency_ms
        if status is not UNSET:
            field_dict["status"] = status
        if rate is not UNSET:
            field_dict["rate"] = rate

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        latency_ms = d.pop("latency_ms", UNSET)

        def _parse_status(data: object) -> FaultsInputStatusEnum | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, int):
                    raise TypeError()
                status_type_0 = check_faults_input_status_enum(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FaultsInputStatusEnum | None | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        rate = d.pop("rate", UNSET)

        faults_input_request = cls(
            latency_ms=latency_ms,
            status=status,
            rate=rate,
        )

        return faults_input_request
