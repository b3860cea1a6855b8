from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TargetingInputRequest")


@_attrs_define
class TargetingInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            categories (list[str] | Unset):
            min_spend_90d (int | Unset): Minor units spent in those categories in the last 90 days.
    """

    categories: list[str] | Unset = UNSET
    min_spend_90d: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        categories: list[str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = self.categories

        min_spend_90d = self.min_spend_90d

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if categories is not UNSET:
            field_dict["categories"] = categories
        if min_spend_90d is not UNSET:
            field_dict["min_spend_90d"] = min_spend_90d

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        categories = cast(list[str], d.pop("categories", UNSET))

        min_spend_90d = d.pop("min_spend_90d", UNSET)

        targeting_input_request = cls(
            categories=categories,
            min_spend_90d=min_spend_90d,
        )

        return targeting_input_request
