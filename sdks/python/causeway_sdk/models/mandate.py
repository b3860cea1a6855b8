from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.kind_enum import KindEnum, check_kind_enum
from ..models.period_enum import PeriodEnum, check_period_enum
from ..types import UNSET, Unset

T = TypeVar("T", bound="Mandate")


@_attrs_define
class Mandate:
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC.

    Attributes:
        id (str): `mdt_...`
        kind (KindEnum): * `single_payment` - Single Payment
            * `standing` - Standing
        payee (None | str): The `wal_...` or `fs_...` it pays; null: any payee (standing only).
        payee_name (None | str): The payee as the holder saw it when approving.
        currency (str):
        amount (int | None): single_payment: the exact amount (minor units).
        max_per_payment (int | None): standing: the most one payment may be.
        max_per_period (int | None): standing: the most per `period`.
        period (None | PeriodEnum):
        step_up_threshold (int | None): standing: above this, a payment needs a single-payment authorisation.
        expires_at (datetime.datetime | None):
        used_at (datetime.datetime | None): single_payment: when it was used.
        created_at (datetime.datetime):
        object_ (str | Unset):  Default: 'mandate'.
    """

    id: str
    kind: KindEnum
    payee: None | str
    payee_name: None | str
    currency: str
    amount: int | None
    max_per_payment: int | None
    max_per_period: int | None
    period: None | PeriodEnum
    step_up_threshold: int | None
    expires_at: datetime.datetime | None
    used_at: datetime.datetime | None
    created_at: datetime.datetime
    object_: str | Unset = "mandate"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind: str = self.kind

        payee: None | str
        payee = self.payee

        payee_name: None | str
        payee_name = self.payee_name

        currency = self.currency

        amount: int | None
        amount = self.amount

        max_per_payment: int | None
        max_per_payment = self.max_per_payment

        max_per_period: int | None
        max_per_period = self.max_per_period

        period: None | str
        if isinstance(self.period, str):
            period = self.period
        else:
            period = self.period

        step_up_threshold: int | None
        step_up_threshold = self.step_up_threshold

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        used_at: None | str
        if isinstance(self.used_at, datetime.datetime):
            used_at = self.used_at.isoformat()
        else:
            used_at = self.used_at

        created_at = self.created_at.isoformat()

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "payee": payee,
                "payee_name": payee_name,
                "currency": currency,
                "amount": amount,
                "max_per_payment": max_per_payment,
                "max_per_period": max_per_period,
                "period": period,
                "step_up_threshold": step_up_threshold,
                "expires_at": expires_at,
                "used_at": used_at,
                "created_at": created_at,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        kind = check_kind_enum(d.pop("kind"))

        def _parse_payee(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        payee = _parse_payee(d.pop("payee"))

        def _parse_payee_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        payee_name = _parse_payee_name(d.pop("payee_name"))

        currency = d.pop("currency")

        def _parse_amount(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        amount = _parse_amount(d.pop("amount"))

        def _parse_max_per_payment(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_per_payment = _parse_max_per_payment(d.pop("max_per_payment"))

        def _parse_max_per_period(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_per_period = _parse_max_per_period(d.pop("max_per_period"))

        def _parse_period(data: object) -> None | PeriodEnum:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                period_type_0 = check_period_enum(data)

                return period_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PeriodEnum, data)

        period = _parse_period(d.pop("period"))

        def _parse_step_up_threshold(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        step_up_threshold = _parse_step_up_threshold(d.pop("step_up_threshold"))

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

        def _parse_used_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                used_at_type_0 = datetime.datetime.fromisoformat(data)

                return used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        used_at = _parse_used_at(d.pop("used_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        object_ = d.pop("object", UNSET)

        mandate = cls(
            id=id,
            kind=kind,
            payee=payee,
            payee_name=payee_name,
            currency=currency,
            amount=amount,
            max_per_payment=max_per_payment,
            max_per_period=max_per_period,
            period=period,
            step_up_threshold=step_up_threshold,
            expires_at=expires_at,
            used_at=used_at,
            created_at=created_at,
            object_=object_,
        )

        mandate.additional_properties = d
        return mandate

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
