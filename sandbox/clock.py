"""The sandbox clock: moving a partner's sandbox time forward, and the work that falls due when it moves.

What follows the sandbox clock (docs/sandbox.md, "The sandbox clock"):

- card payments still pending ``CARD_POSTING_DELAY`` after their authorisation post (the hold is captured,
  ``transaction.posted``), the seeded ones and the simulated ones (``ctx_``) alike;
- top-ups and payouts whose next rail step is due run it (the rail answers ``TRANSFER_SETTLEMENT_DELAY_SECONDS``
  later, on the sandbox clock, through the worker);
- webhook deliveries waiting for a retry come due as much earlier as the clock moved (their schedule is kept in
  real time, so it is shifted);
- consents whose ``expires_at`` passes expire (``consent.expired``) and those within a week of it get
  ``consent.expiring``;
- API keys age: a key's expiry is judged on its environment's clock, and ``api_key.expiring`` (hourly beat)
  follows it too. Cached keys are dropped when the clock moves.

Idempotency keys, request logs and event retention stay on real time. The due work runs right after the clock
moves, each piece in its own transaction through the owning services; the beat tasks would find the same work
within their interval.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F

from apps.core import clock
from apps.core.idempotency import IdempotencyHandle
from apps.core.principal import Principal
from apps.oauth_clients.models import Consent
from apps.oauth_clients.services.consents import EXPIRING_WINDOW, consent_expire, consent_notify_expiring
from apps.partners.models import Environment
from apps.partners.services import sandbox_clock_advance
from apps.transfers.lifecycle import transfer_advance
from apps.transfers.models import Transfer
from apps.wallets.models import Hold, Transaction
from apps.wallets.services import hold_capture_inner
from apps.webhooks.models import WebhookDelivery
from sandbox.models import CardTransaction

# A card payment nobody posted or reversed posts this long after its authorisation, on the sandbox clock.
CARD_POSTING_DELAY = timedelta(days=2)


@dataclass
class DueWork:
    """What moving the clock set off."""

    card_payments_posted: int = 0
    transfer_steps: int = 0
    webhook_retries_due: int = 0
    consents_expired: int = 0
    consents_expiring: int = 0


def clock_advance(*, principal: Principal, seconds: int, idempotency: IdempotencyHandle | None = None) -> Environment:
    """Move the principal's sandbox clock ``seconds`` forward, then run what fell due; returns the environment
    as moved. ``idempotency`` (the API's claim on its ``Idempotency-Key``) is completed in the transaction that
    moves the clock, so a retry never moves it twice; the due work runs after it (each piece in its own
    transaction, and the beat tasks find whatever a crash left). Raises ``SandboxClockInvalid``."""
    with transaction.atomic():
        environment = sandbox_clock_advance(environment=principal.environment, seconds=seconds)
        if idempotency is not None:
            idempotency.complete(environment)
    run_due(environment=environment, moved=timedelta(seconds=seconds))
    return environment


def run_due(*, environment: Environment, moved: timedelta = timedelta(0)) -> DueWork:
    """Run the work due on ``environment``'s clock now (outside any transaction: each piece is its own)."""
    now = clock.now(environment=environment)
    work = DueWork()
    work.card_payments_posted = _post_card_payments(environment, now=now)
    for transfer_pk in Transfer.objects.filter(
        environment=environment,
        type__in=[Transfer.Type.TOP_UP, Transfer.Type.PAYOUT],
        status__in=[Transfer.Status.PENDING, Transfer.Status.PROCESSING],
        next_action_at__lte=now,
    ).values_list("pk", flat=True):
        work.transfer_steps += transfer_advance(transfer_pk=transfer_pk) is not None
    if moved:
        work.webhook_retries_due = WebhookDelivery.objects.filter(
            endpoint__environment=environment, status=WebhookDelivery.Status.PENDING, attempts__gt=0
        ).update(next_attempt_at=F("next_attempt_at") - moved)
    consents = Consent.objects.filter(
        environment=environment, status__in=[Consent.Status.AUTHORIZED, Consent.Status.AWAITING_AUTHORIZATION]
    )
    for consent_pk in consents.filter(expires_at__lte=now).values_list("pk", flat=True):
        work.consents_expired += consent_expire(consent_id=consent_pk)
    for consent_pk in consents.filter(
        status=Consent.Status.AUTHORIZED, expires_at__gt=now, expires_at__lte=now + EXPIRING_WINDOW
    ).values_list("pk", flat=True):
        work.consents_expiring += consent_notify_expiring(consent_id=consent_pk)
    return work


def _post_card_payments(environment: Environment, *, now: datetime) -> int:
    holds = Hold.objects.filter(
        status=Hold.Status.HELD,
        transaction__type=Transaction.Type.CARD_PAYMENT,
        transaction__booked_at__lte=now - CARD_POSTING_DELAY,
        wallet__holder__partner_id=environment.partner_id,
        wallet__holder__environment="sandbox",
    )
    posted = 0
    for hold in holds.order_by("pk"):
        with transaction.atomic(durable=True):
            hold_capture_inner(hold=hold)
            CardTransaction.objects.filter(hold=hold).update(status=CardTransaction.Status.POSTED)
        posted += 1
    return posted
