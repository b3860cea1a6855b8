from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.risk_level_enum import RiskLevelEnum, check_risk_level_enum
from ..models.risk_reason_enum import RiskReasonEnum, check_risk_reason_enum

T = TypeVar("T", bound="TransferRisk")


@_attrs_define
class TransferRisk:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        score (int): 0-100: the weights of its reasons added up, at most 100 (docs/risk.md).
        level (RiskLevelEnum): * `low` - low
            * `elevated` - elevated
            * `high` - high
        reasons (list[RiskReasonEnum]): Generic codes of the rules that added to the score; never any screening or
            monitoring detail.
    """

    score: int
    level: RiskLevelEnum
    reasons: list[RiskReasonEnum]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        score = self.score

        level: str = self.level

        reasons = []
        for reasons_item_data in self.reasons:
            reasons_item: str = reasons_item_data
            reasons.append(reasons_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "score": score,
                "level": level,
                "reasons": reasons,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        score = d.pop("score")

        level = check_risk_level_enum(d.pop("level"))

        reasons = []
        _reasons = d.pop("reasons")
        for reasons_item_data in _reasons:
            reasons_item = check_risk_reason_enum(reasons_item_data)

            reasons.append(reasons_item)

        transfer_risk = cls(
            score=score,
            level=level,
            reasons=reasons,
        )

        transfer_risk.additional_properties = d
        return transfer_risk

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
