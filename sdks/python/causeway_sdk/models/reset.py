from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.reset_status_enum import ResetStatusEnum, check_reset_status_enum
from ..types import UNSET, Unset

T = TypeVar("T", bound="Reset")


@_attrs_define
class Reset:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        status (ResetStatusEnum): * `pending` - pending
            * `succeeded` - succeeded
        object_ (str | Unset):  Default: 'sandbox_reset'.
    """

    status: ResetStatusEnum
    object_: str | Unset = "sandbox_reset"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status: str = self.status

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        status = check_reset_status_enum(d.pop("status"))

        object_ = d.pop("object", UNSET)

        reset = cls(
            status=status,
            object_=object_,
        )

        reset.additional_properties = d
        return reset

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
