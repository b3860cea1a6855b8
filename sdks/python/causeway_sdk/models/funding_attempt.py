from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.outcome_enum import OutcomeEnum, check_outcome_enum

T = TypeVar("T", bound="FundingAttempt")


@_attrs_define
class FundingAttempt:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        source (str): The funding source (`fs_...`) the rail was asked to use.
        outcome (OutcomeEnum): * `succeeded` - succeeded
            * `failed` - failed
        failure_code (None | str): Why the source was refused: funding_source_declined, bank_account_closed.
        at (datetime.datetime): When the rail answered (the environment's clock).
    """

    source: str
    outcome: OutcomeEnum
    failure_code: None | str
    at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source = self.source

        outcome: str = self.outcome

        failure_code: None | str
        failure_code = self.failure_code

        at = self.at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "source": source,
                "outcome": outcome,
                "failure_code": failure_code,
                "at": at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        source = d.pop("source")

        outcome = check_outcome_enum(d.pop("outcome"))

        def _parse_failure_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        failure_code = _parse_failure_code(d.pop("failure_code"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        funding_attempt = cls(
            source=source,
            outcome=outcome,
            failure_code=failure_code,
            at=at,
        )

        funding_attempt.additional_properties = d
        return funding_attempt

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
