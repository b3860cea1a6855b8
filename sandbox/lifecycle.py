"""A partner's sandbox from sign-up on: the worker seeds it, and a reset restores it to the same seeded state.

The environment row records the work (``seed_status`` with ``seed_holders`` and ``seed_anchor``, written by the
partners services); these functions do it. A reset purges the sandbox's book through the ledger's sandbox purge
path, sets the sandbox clock back to real time, and seeds again with the same seed, holders and anchor day, so the
sandbox holds exactly what a fresh seed gives; webhook endpoints, keys and OAuth apps are left alone (and so are
the personas' logins, which the new seed reuses). It emits ``sandbox.reset``.
"""

from datetime import timedelta

import structlog
from django.db import transaction

from apps.core.clock import rfc3339
from apps.events.services import record
from apps.oauth_clients.models import Consent
from apps.offers.services.purge import offers_purge
from apps.partners.models import Environment
from apps.partners.services import sandbox_seed_finish, sandbox_seed_start
from apps.transfers.models import FxQuote, Transfer, TransferReversal
from apps.wallets.purge import sandbox_ledger_purge
from sandbox.models import CardTransaction
from sandbox.quickstart import is_demo_partner
from sandbox.seed import DEFAULT_SEED, SeedReport, seed_sandbox

logger = structlog.get_logger(__name__)


def _seed(environment: Environment) -> SeedReport:
    """The seed this sandbox was (or is to be) seeded with: the same seed, holders and anchor day every time."""
    return seed_sandbox(
        partner=environment.partner,
        seed=DEFAULT_SEED,
        holders=environment.seed_holders,
        anchor=environment.seed_anchor,
        demo=is_demo_partner(environment.partner),
    )


def sandbox_seed_run(*, environment_id: str) -> SeedReport | None:
    """Seed a sandbox whose seeding was asked for (``pending``); None when there is nothing to do. A failure is
    recorded (``failed``) and raised; nothing of the seed is kept."""
    environment = sandbox_seed_start(environment_id=environment_id)
    if environment is None:
        return None
    try:
        report = _seed(environment)
    except Exception:
        logger.exception("sandbox_seed_failed", environment=environment_id)
        sandbox_seed_finish(environment=environment, ok=False)
        raise
    sandbox_seed_finish(environment=environment, ok=True, anchor=report.anchor)
    logger.info("sandbox_seeded", environment=environment_id, holders=report.holders, seconds=report.seconds)
    return report


def sandbox_purge(*, environment: Environment) -> int:
    """Remove the sandbox's holders and everything that hangs off them (transfers, quotes, consents, simulated
    card payments, offers and their funding, the book);
    returns how many holders went. Runs inside the caller's transaction."""
    TransferReversal.objects.filter(transfer__environment=environment).delete()
    Transfer.objects.filter(environment=environment).delete()
    FxQuote.objects.filter(environment=environment).delete()
    Consent.objects.filter(environment=environment).delete()
    CardTransaction.objects.filter(environment=environment).delete()
    offers_purge(environment=environment)
    return sandbox_ledger_purge(partner=environment.partner)


def sandbox_reset_run(*, environment_id: str) -> SeedReport | None:
    """Reset a sandbox whose reset was asked for (``pending``); None when there is nothing to do. Purge, clock
    and seed happen in one transaction with the ``sandbox.reset`` event: a failure leaves the sandbox as it was
    (its status ``failed``)."""
    environment = sandbox_seed_start(environment_id=environment_id)
    if environment is None:
        return None
    try:
        with transaction.atomic():
            removed = sandbox_purge(environment=environment)
            environment.clock_offset = timedelta(0)
            environment.save(update_fields=["clock_offset", "updated_at"])
            report = _seed(environment)
            record(
                type="sandbox.reset",
                partner=environment.partner,
                environment=environment,
                obj=environment,
                data={
                    "id": environment.public_id,
                    "object": "sandbox_reset",
                    "status": "succeeded",
                    "holders_removed": removed,
                    "holders_seeded": report.holders,
                    "seeded_through": report.anchor.isoformat(),
                    "created_at": rfc3339(environment.created_at),
                },
            )
    except Exception:
        logger.exception("sandbox_reset_failed", environment=environment_id)
        sandbox_seed_finish(environment=environment, ok=False)
        raise
    sandbox_seed_finish(environment=environment, ok=True, anchor=report.anchor)
    logger.info("sandbox_reset", environment=environment_id, removed=removed, seeded=report.holders)
    return report
