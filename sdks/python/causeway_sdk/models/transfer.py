from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.environment_enum import EnvironmentEnum, check_environment_enum
from ..models.transfer_status_enum import TransferStatusEnum, check_transfer_status_enum
from ..models.transfer_type_enum import TransferTypeEnum, check_transfer_type_enum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.funding_attempt import FundingAttempt
    from ..models.transfer_failure import TransferFailure
    from ..models.transfer_fx import TransferFx
    from ..models.transfer_metadata import TransferMetadata
    from ..models.transfer_risk import TransferRisk


T = TypeVar("T", bound="Transfer")


@_attrs_define
class Transfer:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        id (str): `tr_...`
        environment (EnvironmentEnum): * `sandbox` - sandbox
            * `live` - live
        type_ (TransferTypeEnum): * `p2p` - P2P
            * `top_up` - Top Up
            * `payout` - Payout
            * `fx` - Fx
        status (TransferStatusEnum): * `pending` - Pending
            * `held` - Held
            * `processing` - Processing
            * `succeeded` - Succeeded
            * `failed` - Failed
            * `canceled` - Canceled
            * `reversed` - Reversed
        amount (int): Minor units of `currency` leaving the source.
        currency (str):
        source (None | str): `wal_...`, or the `fs_...` a top-up came from.
        destination (None | str): `wal_...`, or the bank account `fs_...`.
        fx (None | TransferFx): FX transfers: the quote's terms.
        amount_reversed (int):
        description (str):
        metadata (TransferMetadata):
        failure (None | TransferFailure): Why it failed; null unless `status` is `failed`. Versions before 2026-12-07
            get `failure_code` and `failure_message` instead (docs/versioning.md).
        review_reason (None | str): Why it was held for review: review (its risk score), compliance_hold,
            over_review_threshold, new_counterparty.
        risk (None | TransferRisk): Its risk score when it was created (docs/risk.md); null only for transfers made
            before scoring.
        mandate (None | str): The holder's payment mandate (`mdt_...`) that authorised it: set for transfers made with
            an OAuth access token, null for a secret key's.
        funding_attempts (list[FundingAttempt]): Top-ups and payouts: each funding source the rail tried, oldest first
            (empty until the rail answers, and for p2p and FX). A top-up without a named `source` whose first source is
            refused tries the holder's next sources in their fallback order: the refusals are listed before the source that
            paid.
        created_at (datetime.datetime):
        object_ (str | Unset):  Default: 'transfer'.
    """

    id: str
    environment: EnvironmentEnum
    type_: TransferTypeEnum
    status: TransferStatusEnum
    amount: int
    currency: str
    source: None | str
    destination: None | str
    fx: None | TransferFx
    amount_reversed: int
    description: str
    metadata: TransferMetadata
    failure: None | TransferFailure
    review_reason: None | str
    risk: None | TransferRisk
    mandate: None | str
    funding_attempts: list[FundingAttempt]
    created_at: datetime.datetime
    object_: str | Unset = "transfer"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.transfer_failure import TransferFailure
        from ..models.transfer_fx import TransferFx
        from ..models.transfer_risk import TransferRisk

        id = self.id

        environment: str = self.environment

        type_: str = self.type_

        status: str = self.status

        amount = self.amount

        currency = self.currency

        source: None | str
        source = self.source

        destination: None | str
        destination = self.destination

        fx: dict[str, Any] | None
        if isinstance(self.fx, TransferFx):
            fx = self.fx.to_dict()
        else:
            fx = self.fx

        amount_reversed = self.amount_reversed

        description = self.description

        metadata = self.metadata.to_dict()

        failure: dict[str, Any] | None
        if isinstance(self.failure, TransferFailure):
            failure = self.failure.to_dict()
        else:
            failure = self.failure

        review_reason: None | str
        review_reason = self.review_reason

        risk: dict[str, Any] | None
        if isinstance(self.risk, TransferRisk):
            risk = self.risk.to_dict()
        else:
            risk = self.risk

        mandate: None | str
        mandate = self.mandate

        funding_attempts = []
        for funding_attempts_item_data in self.funding_attempts:
            funding_attempts_item = funding_attempts_item_data.to_dict()
            funding_attempts.append(funding_attempts_item)

        created_at = self.created_at.isoformat()

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "environment": environment,
                "type": type_,
                "status": status,
                "amount": amount,
                "currency": currency,
                "source": source,
                "destination": destination,
                "fx": fx,
                "amount_reversed": amount_reversed,
                "description": description,
                "metadata": metadata,
                "failure": failure,
                "review_reason": review_reason,
                "risk": risk,
                "mandate": mandate,
                "funding_attempts": funding_attempts,
                "created_at": created_at,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.funding_attempt import FundingAttempt
        from ..models.transfer_failure import TransferFailure
        from ..models.transfer_fx import TransferFx
        from ..models.transfer_metadata import TransferMetadata
        from ..models.transfer_risk import TransferRisk

        d = dict(src_dict)
        id = d.pop("id")

        environment = check_environment_enum(d.pop("environment"))

        type_ = check_transfer_type_enum(d.pop("type"))

        status = check_transfer_status_enum(d.pop("status"))

        amount = d.pop("amount")

        currency = d.pop("currency")

        def _parse_source(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        source = _parse_source(d.pop("source"))

        def _parse_destination(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        destination = _parse_destination(d.pop("destination"))

        def _parse_fx(data: object) -> None | TransferFx:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                fx_type_0 = TransferFx.from_dict(data)

                return fx_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TransferFx, data)

        fx = _parse_fx(d.pop("fx"))

        amount_reversed = d.pop("amount_reversed")

        description = d.pop("description")

        metadata = TransferMetadata.from_dict(d.pop("metadata"))

        def _parse_failure(data: object) -> None | TransferFailure:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                failure_type_0 = TransferFailure.from_dict(data)

                return failure_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TransferFailure, data)

        failure = _parse_failure(d.pop("failure"))

        def _parse_review_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        review_reason = _parse_review_reason(d.pop("review_reason"))

        def _parse_risk(data: object) -> None | TransferRisk:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                risk_type_0 = TransferRisk.from_dict(data)

                return risk_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TransferRisk, data)

        risk = _parse_risk(d.pop("risk"))

        def _parse_mandate(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        mandate = _parse_mandate(d.pop("mandate"))

        funding_attempts = []
        _funding_attempts = d.pop("funding_attempts")
        for funding_attempts_item_data in _funding_attempts:
            funding_attempts_item = FundingAttempt.from_dict(funding_attempts_item_data)

            funding_attempts.append(funding_attempts_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        object_ = d.pop("object", UNSET)

        transfer = cls(
            id=id,
            environment=environment,
            type_=type_,
            status=status,
            amount=amount,
            currency=currency,
            source=source,
            destination=destination,
            fx=fx,
            amount_reversed=amount_reversed,
            description=description,
            metadata=metadata,
            failure=failure,
            review_reason=review_reason,
            risk=risk,
            mandate=mandate,
            funding_attempts=funding_attempts,
            created_at=created_at,
            object_=object_,
        )

        transfer.additional_properties = d
        return transfer

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
