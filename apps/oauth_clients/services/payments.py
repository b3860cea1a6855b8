"""Payment authorisation: which of a consent's mandates lets a holder-bound credential (an OAuth token bound to
the holder's consent) make one transfer, and what using it changes.

``transfers:write`` alone moves no money for such a credential. A transfer needs a ``Mandate`` of the token's
consent that covers it (docs/consents.md):

- ``single_payment``: the exact payee, amount and currency, not used yet; using it sets ``used_at``.
- ``standing``: the payee (or any payee when the mandate names none), the currency, at most ``max_per_payment``,
  and with this period's earlier payments at most ``max_per_period`` (calendar periods in UTC: a day, a week from
  Monday, a month from the first; the counters on the mandate's row start again when a new period begins).
  Above ``step_up_threshold`` the payment needs a single-payment authorisation, for which the consent screen
  asks the holder's one-time code.

Neither kind covers anything once its ``expires_at`` has passed. The check runs inside the transfer's durable
transaction, after the wallets (and an FX quote) are locked: it locks the consent's row (so a revocation and a
payment are one after the other, never interleaved), then the mandates that could cover the payment (its payee's
or any payee's, in its currency, unexpired; single payments only of exactly its amount and unused), at most
``CANDIDATES`` of them, and returns the change to write with the transfer (``apps.wallets.store.post``). A
refusal reads at most as many again to say why.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q

from apps.core import store
from apps.core.errors import ApplicationError, error_type
from apps.core.principal import Principal
from apps.oauth_clients.models import Consent, Mandate

# The most mandates one payment's check reads (those naming its payee, then those for any payee).
CANDIDATES = 20

_SINGLE_PAYMENT_HINT = (
    " Ask the holder for a single-payment authorisation of this payment (the consent screen asks for their "
    "one-time code)."
)
MandateRequired = error_type(
    "MandateRequired",
    "mandate_required",
    403,
    "Payment not authorised",
    "An OAuth token moves money only under a mandate the holder approved, and its consent has none."
    + _SINGLE_PAYMENT_HINT,
    doc="A holder-bound token made a transfer and its consent has no payment mandate at all.",
)
MandatePayeeNotCovered = error_type(
    "MandatePayeeNotCovered",
    "mandate_payee_not_covered",
    403,
    "Payee not covered",
    "No mandate of this consent covers payments to this payee.",
    doc="None of the consent's mandates names the transfer's destination, and none is a standing mandate for "
    "any payee.",
)
MandateCurrencyMismatch = error_type(
    "MandateCurrencyMismatch",
    "mandate_currency_mismatch",
    403,
    "Currency not covered",
    "The mandates for this payee are in another currency.",
)
MandateAmountMismatch = error_type(
    "MandateAmountMismatch",
    "mandate_amount_mismatch",
    403,
    "Amount differs from the authorised payment",
    "A single-payment mandate covers exactly the amount the holder approved.",
)
MandateAmountExceeded = error_type(
    "MandateAmountExceeded",
    "mandate_amount_exceeded",
    403,
    "Amount over the mandate's maximum per payment",
    "The amount is over the standing mandate's maximum per payment.",
)
MandatePeriodExhausted = error_type(
    "MandatePeriodExhausted",
    "mandate_period_exhausted",
    403,
    "Mandate's allowance for this period used up",
    "With this period's earlier payments, the amount is over the standing mandate's maximum per period.",
)
MandateUsed = error_type(
    "MandateUsed", "mandate_used", 403, "Mandate already used", "The single-payment mandate was used already."
)
MandateExpired = error_type("MandateExpired", "mandate_expired", 403, "Mandate expired", "The mandate has expired.")
StepUpRequired = error_type(
    "StepUpRequired",
    "step_up_required",
    403,
    "Step-up authorisation required",
    "The amount is over the standing mandate's step-up threshold." + _SINGLE_PAYMENT_HINT,
)
ConsentInactive = error_type(
    "ConsentInactive",
    "consent_inactive",
    401,
    "Consent no longer active",
    "The consent this token acts under was revoked or has expired.",
    doc="The consent was revoked or expired between the token's check and the payment: the same answer the "
    "token gets on its next request.",
)


@dataclass(frozen=True)
class Payment:
    """What a transfer pays: ``payee`` is the destination's public id (a ``wal_`` wallet, or the ``fs_`` bank
    account of a payout); ``amount`` and ``currency`` what leaves the source."""

    payee: str
    amount: int
    currency: str


@dataclass(frozen=True)
class Authorisation:
    """The mandate that covers a payment, and its change, to be written with the transfer."""

    mandate: Mandate
    update: store.Update


def holder_bound(principal: Principal) -> bool:
    """Whether ``principal`` acts for one holder (an OAuth token from the code flow) rather than the partner."""
    return principal.holder is not None or principal.consent is not None


def period_start(period: str, now: datetime) -> datetime:
    """The start of the calendar period (UTC) that ``now`` falls in."""
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if period == Mandate.Period.WEEK:
        return day - timedelta(days=day.weekday())
    if period == Mandate.Period.MONTH:
        return day.replace(day=1)
    return day


def period_used(mandate: Mandate, now: datetime) -> int:
    """What the standing mandate has paid in the period ``now`` falls in."""
    if mandate.period_start is None or mandate.period_start != period_start(mandate.period, now):
        return 0
    return mandate.period_used


def payment_authorise(*, principal: Principal, payment: Payment, now: datetime) -> Authorisation | None:
    """The mandate of ``principal``'s consent that covers ``payment`` at ``now``, and its update (``used_at``, or
    the period's counters). None for a partner-level credential, which needs no mandate.

    Runs inside the transfer's durable transaction after its wallets are locked, and refuses, before anything
    is written, with ``ConsentInactive``, ``MandateRequired``, ``MandatePayeeNotCovered``,
    ``MandateCurrencyMismatch``, ``MandateExpired``, ``MandateUsed``, ``MandateAmountMismatch``,
    ``MandateAmountExceeded``, ``StepUpRequired`` or ``MandatePeriodExhausted`` (the refusal of the mandate
    closest to covering the payment: one for this payee before one for any payee, single payments first)."""
    if not holder_bound(principal):
        return None
    consent = principal.consent
    if consent is None:
        raise MandateRequired()
    active = (
        Consent.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk=consent.pk, status=Consent.Status.AUTHORIZED, expires_at__gt=now)
        .values_list("pk", flat=True)
    )
    if not active:
        raise ConsentInactive()
    payee = Q(payee=payment.payee) | Q(payee="")
    # Only mandates that could cover it are read and locked, the best first: unused single payments of exactly
    # this payment, then standing mandates naming this payee, then those for any payee; nothing expired.
    usable = (
        Mandate.objects.select_for_update(of=("self",), no_key=True)
        .filter(payee, consent_id=consent.pk, currency=payment.currency)
        .filter(Q(kind=Mandate.Kind.STANDING) | Q(amount=payment.amount, used_at__isnull=True))
        .exclude(expires_at__lte=now)
        .order_by("kind", "-payee", "pk")[:CANDIDATES]
    )
    refusals: list[ApplicationError] = []
    for mandate in usable:
        refusal = _refusal(mandate, payment, now)
        if refusal is None:
            return Authorisation(mandate=mandate, update=_use(mandate, payment, now))
        refusals.append(refusal)
    if not refusals:
        # Why nothing could: the closest miss among this payee's mandates (used, expired, another currency).
        misses = Mandate.objects.filter(payee, consent_id=consent.pk).order_by("kind", "-payee", "pk")[:CANDIDATES]
        refusals = [refusal for m in misses if (refusal := _refusal(m, payment, now)) is not None]
    if refusals:
        # The closest miss: the first whose currency matched, if any did.
        matched = [r for r in refusals if not isinstance(r, MandateCurrencyMismatch)]
        raise (matched or refusals)[0]
    if Mandate.objects.filter(consent_id=consent.pk).exists():
        raise MandatePayeeNotCovered(f"No mandate of this consent covers payments to {payment.payee}.")
    raise MandateRequired()


def _refusal(mandate: Mandate, payment: Payment, now: datetime) -> ApplicationError | None:
    """Why ``mandate`` does not cover ``payment`` (None when it does)."""
    named = f"Mandate {mandate.public_id}"
    if mandate.currency != payment.currency:
        return MandateCurrencyMismatch(f"{named} is in {mandate.currency}, not {payment.currency}.")
    if mandate.expires_at is not None and now >= mandate.expires_at:
        return MandateExpired(f"{named} expired at {mandate.expires_at.isoformat()}.")
    if mandate.kind == Mandate.Kind.SINGLE_PAYMENT:
        if mandate.used_at is not None:
            return MandateUsed(f"{named} was used already.")
        if payment.amount != mandate.amount:
            return MandateAmountMismatch(f"{named} covers exactly {mandate.amount} {mandate.currency}.")
        return None
    assert mandate.max_per_payment is not None and mandate.max_per_period is not None
    if payment.amount > mandate.max_per_payment:
        return MandateAmountExceeded(
            f"{named} allows at most {mandate.max_per_payment} {mandate.currency} per payment.",
            extra={"mandate": mandate.public_id, "max_per_payment": mandate.max_per_payment},
        )
    if mandate.step_up_threshold is not None and payment.amount > mandate.step_up_threshold:
        return StepUpRequired(
            f"{named} covers payments up to {mandate.step_up_threshold} {mandate.currency} without the holder's "
            f"one-time code.{_SINGLE_PAYMENT_HINT}",
            extra={"mandate": mandate.public_id, "step_up_threshold": mandate.step_up_threshold},
        )
    used = period_used(mandate, now)
    if used + payment.amount > mandate.max_per_period:
        remaining = mandate.max_per_period - used
        return MandatePeriodExhausted(
            f"{named} has {remaining} {mandate.currency} left this {mandate.period} "
            f"(at most {mandate.max_per_period}).",
            extra={"mandate": mandate.public_id, "remaining": remaining},
        )
    return None


def _use(mandate: Mandate, payment: Payment, now: datetime) -> store.Update:
    if mandate.kind == Mandate.Kind.SINGLE_PAYMENT:
        mandate.used_at = now
        return store.Update([mandate], ("used_at", "updated_at"))
    used = period_used(mandate, now)
    mandate.period_start = period_start(mandate.period, now)
    mandate.period_used = used + payment.amount
    return store.Update([mandate], ("period_start", "period_used", "updated_at"))


def mandate_release(*, mandate_id: int | None, amount: int, initiated_at: datetime) -> None:
    """Give back what a transfer of ``amount`` made at ``initiated_at`` took from its mandate, as the transfer
    becomes failed or canceled (call it in that transaction, after the transfer's lock): a single payment is
    unused again, a standing mandate's period counter shrinks when the transfer was made in the current period
    (an earlier period's allowance is gone anyway). Nothing for a transfer made without a mandate."""
    if mandate_id is None:
        return
    mandate = Mandate.objects.select_for_update(of=("self",), no_key=True).get(pk=mandate_id)
    if mandate.kind == Mandate.Kind.SINGLE_PAYMENT:
        mandate.used_at = None
        mandate.save(update_fields=["used_at", "updated_at"])
    elif mandate.period_start is not None and mandate.period_start == period_start(mandate.period, initiated_at):
        mandate.period_used = max(0, mandate.period_used - amount)
        mandate.save(update_fields=["period_used", "updated_at"])
