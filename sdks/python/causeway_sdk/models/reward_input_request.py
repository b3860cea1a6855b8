from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.reward_input_type_enum import (
    RewardInputTypeEnum,
    check_reward_input_type_enum,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="RewardInputRequest")


@_attrs_define
class RewardInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            type_ (RewardInputTypeEnum):
            value (int | str): cashback_percent: a percentage (up to 2 decimals, at most 100); cashback_fixed: minor units;
                points: points per purchase.
            cap (int | None | Unset): cashback_percent only: the most one purchase earns (minor units).
    """

    type_: RewardInputTypeEnum
    value: int | str
    cap: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_: str = self.type_

        value: int | str
        value = self.value

        cap: int | None | Unset
        if isinstance(self.cap, Unset):
            cap = UNSET
        else:
            cap = self.cap

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "value": value,
            }
        )
        if cap is not UNSET:
            field_dict["cap"] = cap

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = check_reward_input_type_enum(d.pop("type"))

        def _parse_value(data: object) -> int | str:
            return cast(int | str, data)

        value = _parse_value(d.pop("value"))

        def _parse_cap(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        cap = _parse_cap(d.pop("cap", UNSET))

        reward_input_request = cls(
            type_=type_,
            value=value,
            cap=cap,
        )

        return reward_input_request
