from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ProgrammeInputRequest")


@_attrs_define
class ProgrammeInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            name (str): Your programme's name, shown to holders.
            rate (int | str): Programme units per point.
    """

    name: str
    rate: int | str

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        rate: int | str
        rate = self.rate

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "rate": rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_rate(data: object) -> int | str:
            return cast(int | str, data)

        rate = _parse_rate(d.pop("rate"))

        programme_input_request = cls(
            name=name,
            rate=rate,
        )

        return programme_input_request
