from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PointsRedemptionInputRequest")


@_attrs_define
class PointsRedemptionInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            holder (str): The holder (`ph_...`) whose points are redeemed.
            points (int):
            reference (str | Unset):  Default: ''.
    """

    holder: str
    points: int
    reference: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        holder = self.holder

        points = self.points

        reference = self.reference

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "holder": holder,
                "points": points,
            }
        )
        if reference is not UNSET:
            field_dict["reference"] = reference

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        holder = d.pop("holder")

        points = d.pop("points")

        reference = d.pop("reference", UNSET)

        points_redemption_input_request = cls(
            holder=holder,
            points=points,
            reference=reference,
        )

        return points_redemption_input_request
