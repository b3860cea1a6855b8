from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="FundingSourceReorderInputRequest")


@_attrs_define
class FundingSourceReorderInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            order (list[str]): Every active funding source id of the holder, each once, first tried first.
    """

    order: list[str]

    def to_dict(self) -> dict[str, Any]:
        order = self.order

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "order": order,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        order = cast(list[str], d.pop("order"))

        funding_source_reorder_input_request = cls(
            order=order,
        )

        return funding_source_reorder_input_request
