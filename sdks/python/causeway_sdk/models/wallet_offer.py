from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.merchant import Merchant
    from ..models.reward import Reward


T = TypeVar("T", bound="WalletOffer")


@_attrs_define
class WalletOffer:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        id (str):
        status (str): `active`, `paused`, `exhausted` or `ended`.
        merchant (Merchant): A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is
            RFC 3339 UTC.
        reward (Reward): A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC
            3339 UTC.
        min_spend (int):
        currency (str):
        starts_at (str):
        ends_at (None | str):
        activated (bool):
        activated_at (None | str):
        redemptions_left (int):
        object_ (str | Unset):  Default: 'wallet_offer'.
    """

    id: str
    status: str
    merchant: Merchant
    reward: Reward
    min_spend: int
    currency: str
    starts_at: str
    ends_at: None | str
    activated: bool
    activated_at: None | str
    redemptions_left: int
    object_: str | Unset = "wallet_offer"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status

        merchant = self.merchant.to_dict()

        reward = self.reward.to_dict()

        min_spend = self.min_spend

        currency = self.currency

        starts_at = self.starts_at

        ends_at: None | str
        ends_at = self.ends_at

        activated = self.activated

        activated_at: None | str
        activated_at = self.activated_at

        redemptions_left = self.redemptions_left

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "merchant": merchant,
                "reward": reward,
                "min_spend": min_spend,
                "currency": currency,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "activated": activated,
                "activated_at": activated_at,
                "redemptions_left": redemptions_left,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.merchant import Merchant
        from ..models.reward import Reward

        d = dict(src_dict)
        id = d.pop("id")

        status = d.pop("status")

        merchant = Merchant.from_dict(d.pop("merchant"))

        reward = Reward.from_dict(d.pop("reward"))

        min_spend = d.pop("min_spend")

        currency = d.pop("currency")

        starts_at = d.pop("starts_at")

        def _parse_ends_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ends_at = _parse_ends_at(d.pop("ends_at"))

        activated = d.pop("activated")

        def _parse_activated_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        activated_at = _parse_activated_at(d.pop("activated_at"))

        redemptions_left = d.pop("redemptions_left")

        object_ = d.pop("object", UNSET)

        wallet_offer = cls(
            id=id,
            status=status,
            merchant=merchant,
            reward=reward,
            min_spend=min_spend,
            currency=currency,
            starts_at=starts_at,
            ends_at=ends_at,
            activated=activated,
            activated_at=activated_at,
            redemptions_left=redemptions_left,
            object_=object_,
        )

        wallet_offer.additional_properties = d
        return wallet_offer

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
