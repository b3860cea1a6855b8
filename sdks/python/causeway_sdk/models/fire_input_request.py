from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.event_type_enum import EventTypeEnum, check_event_type_enum

T = TypeVar("T", bound="FireInputRequest")


@_attrs_define
class FireInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            type_ (EventTypeEnum): * `transfer.created` - transfer.created
                * `transfer.held` - transfer.held
                * `transfer.succeeded` - transfer.succeeded
                * `transfer.failed` - transfer.failed
                * `transfer.canceled` - transfer.canceled
                * `transfer.reversed` - transfer.reversed
                * `wallet.balance_updated` - wallet.balance_updated
                * `transaction.created` - transaction.created
                * `transaction.posted` - transaction.posted
                * `consent.granted` - consent.granted
                * `consent.revoked` - consent.revoked
                * `consent.expiring` - consent.expiring
                * `consent.expired` - consent.expired
                * `api_key.expiring` - api_key.expiring
                * `webhook_endpoint.disabled` - webhook_endpoint.disabled
                * `sandbox.reset` - sandbox.reset
                * `offer.redeemed` - offer.redeemed
                * `offer.budget_exhausted` - offer.budget_exhausted
                * `points.redeemed` - points.redeemed
                * `holder.verification.updated` - holder.verification.updated
    """

    type_: EventTypeEnum

    def to_dict(self) -> dict[str, Any]:
        type_: str = self.type_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = check_event_type_enum(d.pop("type"))

        fire_input_request = cls(
            type_=type_,
        )

        return fire_input_request
