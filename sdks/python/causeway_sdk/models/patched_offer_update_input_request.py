from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money_input_request import MoneyInputRequest
    from ..models.patched_offer_update_input_request_metadata import (
        PatchedOfferUpdateInputRequestMetadata,
    )
    from ..models.targeting_input_request import TargetingInputRequest


T = TypeVar("T", bound="PatchedOfferUpdateInputRequest")


@_attrs_define
class PatchedOfferUpdateInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            ends_at (datetime.datetime | Unset):
            budget (MoneyInputRequest | Unset): A request body: refuses fields it does not declare (``parameter_unknown``)
                instead of ignoring them,
                so a typo in a field name is an error rather than a silently dropped parameter.
            per_holder_limit (int | Unset):
            targeting (TargetingInputRequest | Unset): A request body: refuses fields it does not declare
                (``parameter_unknown``) instead of ignoring them,
                so a typo in a field name is an error rather than a silently dropped parameter.
            metadata (PatchedOfferUpdateInputRequestMetadata | Unset):
    """

    ends_at: datetime.datetime | Unset = UNSET
    budget: MoneyInputRequest | Unset = UNSET
    per_holder_limit: int | Unset = UNSET
    targeting: TargetingInputRequest | Unset = UNSET
    metadata: PatchedOfferUpdateInputRequestMetadata | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        ends_at: str | Unset = UNSET
        if not isinstance(self.ends_at, Unset):
            ends_at = self.ends_at.isoformat()

        budget: dict[str, Any] | Unset = UNSET
        if not isinstance(self.budget, Unset):
            budget = self.budget.to_dict()

        per_holder_limit = self.per_holder_limit

        targeting: dict[str, Any] | Unset = UNSET
        if not isinstance(self.targeting, Unset):
            targeting = self.targeting.to_dict()

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if ends_at is not UNSET:
            field_dict["ends_at"] = ends_at
        if budget is not UNSET:
            field_dict["budget"] = budget
        if per_holder_limit is not UNSET:
            field_dict["per_holder_limit"] = per_holder_limit
        if targeting is not UNSET:
            field_dict["targeting"] = targeting
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.money_input_request import MoneyInputRequest
        from ..models.patched_offer_update_input_request_metadata import (
            PatchedOfferUpdateInputRequestMetadata,
        )
        from ..models.targeting_input_request import TargetingInputRequest

        d = dict(src_dict)
        _ends_at = d.pop("ends_at", UNSET)
        ends_at: datetime.datetime | Unset
        if isinstance(_ends_at, Unset):
            ends_at = UNSET
        else:
            ends_at = datetime.datetime.fromisoformat(_ends_at)

        _budget = d.pop("budget", UNSET)
        budget: MoneyInputRequest | Unset
        if isinstance(_budget, Unset):
            budget = UNSET
        else:
            budget = MoneyInputRequest.from_dict(_budget)

        per_holder_limit = d.pop("per_holder_limit", UNSET)

        _targeting = d.pop("targeting", UNSET)
        targeting: TargetingInputRequest | Unset
        if isinstance(_targeting, Unset):
            targeting = UNSET
        else:
            targeting = TargetingInputRequest.from_dict(_targeting)

        _metadata = d.pop("metadata", UNSET)
        metadata: PatchedOfferUpdateInputRequestMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = PatchedOfferUpdateInputRequestMetadata.from_dict(_metadata)

        patched_offer_update_input_request = cls(
            ends_at=ends_at,
            budget=budget,
            per_holder_limit=per_holder_limit,
            targeting=targeting,
            metadata=metadata,
        )

        return patched_offer_update_input_request
