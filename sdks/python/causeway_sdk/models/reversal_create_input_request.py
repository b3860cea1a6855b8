from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.reversal_create_input_request_metadata import (
        ReversalCreateInputRequestMetadata,
    )


T = TypeVar("T", bound="ReversalCreateInputRequest")


@_attrs_define
class ReversalCreateInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            amount (int | Unset): Minor units; by default everything that remains.
            description (str | Unset):  Default: ''.
            metadata (ReversalCreateInputRequestMetadata | Unset):
    """

    amount: int | Unset = UNSET
    description: str | Unset = ""
    metadata: ReversalCreateInputRequestMetadata | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        description = self.description

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if amount is not UNSET:
            field_dict["amount"] = amount
        if description is not UNSET:
            field_dict["description"] = description
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.reversal_create_input_request_metadata import (
            ReversalCreateInputRequestMetadata,
        )

        d = dict(src_dict)
        amount = d.pop("amount", UNSET)

        description = d.pop("description", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: ReversalCreateInputRequestMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = ReversalCreateInputRequestMetadata.from_dict(_metadata)

        reversal_create_input_request = cls(
            amount=amount,
            description=description,
            metadata=metadata,
        )

        return reversal_create_input_request
