from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.transfer_status_enum import TransferStatusEnum, check_transfer_status_enum

T = TypeVar("T", bound="StatusChange")


@_attrs_define
class StatusChange:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        status (TransferStatusEnum): * `pending` - Pending
            * `held` - Held
            * `processing` - Processing
            * `succeeded` - Succeeded
            * `failed` - Failed
            * `canceled` - Canceled
            * `reversed` - Reversed
        previous_status (None | TransferStatusEnum):
        reason (None | str):
        at (datetime.datetime):
    """

    status: TransferStatusEnum
    previous_status: None | TransferStatusEnum
    reason: None | str
    at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status: str = self.status

        previous_status: None | str
        if isinstance(self.previous_status, str):
            previous_status = self.previous_status
        else:
            previous_status = self.previous_status

        reason: None | str
        reason = self.reason

        at = self.at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "previous_status": previous_status,
                "reason": reason,
                "at": at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        status = check_transfer_status_enum(d.pop("status"))

        def _parse_previous_status(data: object) -> None | TransferStatusEnum:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_status_type_0 = check_transfer_status_enum(data)

                return previous_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TransferStatusEnum, data)

        previous_status = _parse_previous_status(d.pop("previous_status"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        status_change = cls(
            status=status,
            previous_status=previous_status,
            reason=reason,
            at=at,
        )

        status_change.additional_properties = d
        return status_change

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
