"""Live offers funding by bank staff against the partner's payment (the Django admin's "Record a partner's
payment" page, ``apps.offers.admin``): the money goes through the ledger into the live environment's offers
funding account, with an ``OfferFundingPayment`` row (who recorded which payment) and an audit row the partner
sees, all in one transaction. A payment reference is recorded once per environment: the same payment again moves
nothing and answers the first record."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from apps.core.errors import error_type
from apps.offers.models import OfferFunding, OfferFundingPayment
from apps.offers.services.funding import funding_post
from apps.partners.models import Environment
from apps.partners.services import audit

FundingLiveOnly = error_type(
    "FundingLiveOnly",
    "offer_funding_live_only",
    422,
    "Live environments only",
    "Staff fund live offers only; a sandbox is funded through POST /v1/sandbox/offer_funding.",
)
FundingPaymentReused = error_type(
    "FundingPaymentReused",
    "offer_funding_payment_reused",
    409,
    "Payment already recorded",
    "This payment reference was already recorded for this environment with another amount or currency.",
    doc="Staff only (Django admin): a partner's payment is recorded once; a second payment needs its own reference.",
)


@dataclass(frozen=True)
class Recorded:
    payment: OfferFundingPayment
    created: bool  # False: the reference was recorded before, nothing moved this time


@transaction.atomic(durable=True)
def offer_funding_receive(
    *,
    environment: Environment,
    currency: str,
    amount: int,
    payment_reference: str,
    staff_user: Any,
    note: str = "",
) -> Recorded:
    """Record the partner's payment ``payment_reference`` of ``amount`` (positive, minor units; points for ``XPT``)
    into ``environment``'s offers funding in ``currency``. Raises ``FundingLiveOnly`` (a sandbox) and
    ``FundingPaymentReused`` (the reference was recorded with another amount or currency); nothing is written on
    either. The reference is checked under the funding row's lock, so two staff recording one payment at once
    fund it once."""
    if environment.kind != Environment.Kind.LIVE:
        raise FundingLiveOnly()
    earlier: list[OfferFundingPayment] = []

    def not_recorded_yet(row: OfferFunding) -> None:
        found = OfferFundingPayment.objects.filter(environment=environment, payment_reference=payment_reference).first()
        if found is None:
            return
        if (found.amount, found.currency) != (amount, currency):
            raise FundingPaymentReused(
                f"Payment {payment_reference!r} was recorded as {found.amount} {found.currency} ({found.public_id})."
            )
        earlier.append(found)
        raise _AlreadyRecorded()

    try:
        _, journal = funding_post(
            environment=environment, amount=amount, currency=currency, before_posting=not_recorded_yet
        )
    except _AlreadyRecorded:
        return Recorded(payment=earlier[0], created=False)
    payment = OfferFundingPayment.objects.create(
        partner=environment.partner,
        environment=environment,
        currency=currency,
        amount=amount,
        payment_reference=payment_reference,
        note=note,
        journal=journal,
        recorded_by=staff_user,
    )
    audit.record(
        action="offers_funding.received",
        partner=environment.partner,
        actor=staff_user,
        target=payment,
        environment=environment.kind,
        metadata={"amount": amount, "currency": currency, "payment_reference": payment_reference},
    )
    return Recorded(payment=payment, created=True)


class _AlreadyRecorded(Exception):
    """The payment was recorded before: stop before posting (nothing was written)."""
