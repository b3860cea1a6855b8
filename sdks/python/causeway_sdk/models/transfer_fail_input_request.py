from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.failure_code_enum import FailureCodeEnum, check_failure_code_enum
from ..types import UNSET, Unset

T = TypeVar("T", bound="TransferFailInputRequest")


@_attrs_define
class TransferFailInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            failure_code (FailureCodeEnum | Unset): * `bank_account_closed` - bank_account_closed
                * `funding_source_declined` - funding_source_declined
                * `insufficient_funds_at_bank` - insufficient_funds_at_bank
                * `bank_rejected` - bank_rejected Default: 'bank_account_closed'.
    """

    failure_code: FailureCodeEnum | Unset = "bank_account_closed"

    def to_dict(self) -> dict[str, Any]:
        failure_code: str | Unset = UNSET
        if not isinstance(self.failure_code, Unset):
            failure_code = self.failure_code

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if failure_code is not UNSET:
            field_dict["failure_code"] = failure_code

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _failure_code = d.pop("failure_code", UNSET)
        failure_code: FailureCodeEnum | Unset
        if isinstance(_failure_code, Unset):
            failure_code = UNSET
        else:
            failure_code = check_failure_code_enum(_failure_code)

        transfer_fail_input_request = cls(
            failure_code=failure_code,
        )

        return transfer_fail_input_request
