from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RotateSecretInputRequest")


@_attrs_define
class RotateSecretInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            previous_secret_expires_in (int | Unset): Seconds the old secret keeps signing beside the new one (0 to 604800;
                default 86400). Default: 86400.
    """

    previous_secret_expires_in: int | Unset = 86400

    def to_dict(self) -> dict[str, Any]:
        previous_secret_expires_in = self.previous_secret_expires_in

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if previous_secret_expires_in is not UNSET:
            field_dict["previous_secret_expires_in"] = previous_secret_expires_in

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        previous_secret_expires_in = d.pop("previous_secret_expires_in", UNSET)

        rotate_secret_input_request = cls(
            previous_secret_expires_in=previous_secret_expires_in,
        )

        return rotate_secret_input_request
