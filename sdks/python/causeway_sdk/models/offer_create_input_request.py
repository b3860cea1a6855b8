from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.currency_enum import CurrencyEnum, check_currency_enum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.merchant_input_request import MerchantInputRequest
    from ..models.money_input_request import MoneyInputRequest
    from ..models.offer_create_input_request_metadata import (
        OfferCreateInputRequestMetadata,
    )
    from ..models.reward_input_request import RewardInputRequest
    from ..models.targeting_input_request import TargetingInputRequest


T = TypeVar("T", bound="OfferCreateInputRequest")


@_attrs_define
class OfferCreateInputRequest:
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter.

        Attributes:
            merchant (MerchantInputRequest): A request body: refuses fields it does not declare (``parameter_unknown``)
                instead of ignoring them,
                so a typo in a field name is an error rather than a silently dropped parameter.
            reward (RewardInputRequest): A request body: refuses fields it does not declare (``parameter_unknown``) instead
                of ignoring them,
                so a typo in a field name is an error rather than a silently dropped parameter.
            currency (CurrencyEnum):
            budget (MoneyInputRequest): A request body: refuses fields it does not declare (``parameter_unknown``) instead
                of ignoring them,
                so a typo in a field name is an error rather than a silently dropped parameter.
            min_spend (int | Unset):  Default: 0.
            starts_at (datetime.datetime | None | Unset):
            ends_at (datetime.datetime | None | Unset):
            per_holder_limit (int | Unset):  Default: 1.
            targeting (TargetingInputRequest | Unset): A request body: refuses fields it does not declare
                (``parameter_unknown``) instead of ignoring them,
                so a typo in a field name is an error rather than a silently dropped parameter.
            metadata (OfferCreateInputRequestMetadata | Unset):
    """

    merchant: MerchantInputRequest
    reward: RewardInputRequest
    currency: CurrencyEnum
    budget: MoneyInputRequest
    min_spend: int | Unset = 0
    starts_at: datetime.datetime | None | Unset = UNSET
    ends_at: datetime.datetime | None | Unset = UNSET
    per_holder_limit: int | Unset = 1
    targeting: TargetingInputRequest | Unset = UNSET
    metadata: OfferCreateInputRequestMetadata | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        merchant = self.merchant.to_dict()

        reward = self.reward.to_dict()

        currency: str = self.currency

        budget = self.budget.to_dict()

        min_spend = self.min_spend

        starts_at: None | str | Unset
        if isinstance(self.starts_at, Unset):
            starts_at = UNSET
        elif isinstance(self.starts_at, datetime.datetime):
            starts_at = self.starts_at.isoformat()
        else:
            starts_at = self.starts_at

        ends_at: None | str | Unset
        if isinstance(self.ends_at, Unset):
            ends_at = UNSET
        elif isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at

        per_holder_limit = self.per_holder_limit

        targeting: dict[str, Any] | Unset = UNSET
        if not isinstance(self.targeting, Unset):
            targeting = self.targeting.to_dict()

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "merchant": merchant,
                "reward": reward,
                "currency": currency,
                "budget": budget,
            }
        )
        if min_spend is not UNSET:
            field_dict["min_spend"] = min_spend
        if starts_at is not UNSET:
            field_dict["starts_at"] = starts_at
        if ends_at is not UNSET:
            field_dict["ends_at"] = ends_at
        if per_holder_limit is not UNSET:
            field_dict["per_holder_limit"] = per_holder_limit
        if targeting is not UNSET:
            field_dict["targeting"] = targeting
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.merchant_input_request import MerchantInputRequest
        from ..models.money_input_request import MoneyInputRequest
        from ..models.offer_create_input_request_metadata import (
            OfferCreateInputRequestMetadata,
        )
        from ..models.reward_input_request import RewardInputRequest
        from ..models.targeting_input_request import TargetingInputRequest

        d = dict(src_dict)
        merchant = MerchantInputRequest.from_dict(d.pop("merchant"))

        reward = RewardInputRequest.from_dict(d.pop("reward"))

        currency = check_currency_enum(d.pop("currency"))

        budget = MoneyInputRequest.from_dict(d.pop("budget"))

        min_spend = d.pop("min_spend", UNSET)

        def _parse_starts_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_at_type_0 = datetime.datetime.fromisoformat(data)

                return starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        starts_at = _parse_starts_at(d.pop("starts_at", UNSET))

        def _parse_ends_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)

                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ends_at = _parse_ends_at(d.pop("ends_at", UNSET))

        per_holder_limit = d.pop("per_holder_limit", UNSET)

        _targeting = d.pop("targeting", UNSET)
        targeting: TargetingInputRequest | Unset
        if isinstance(_targeting, Unset):
            targeting = UNSET
        else:
            targeting = TargetingInputRequest.from_dict(_targeting)

        _metadata = d.pop("metadata", UNSET)
        metadata: OfferCreateInputRequestMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = OfferCreateInputRequestMetadata.from_dict(_metadata)

        offer_create_input_request = cls(
            merchant=merchant,
            reward=reward,
            currency=currency,
            budget=budget,
            min_spend=min_spend,
            starts_at=starts_at,
            ends_at=ends_at,
            per_holder_limit=per_holder_limit,
            targeting=targeting,
            metadata=metadata,
        )

        return offer_create_input_request
