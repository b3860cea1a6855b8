"""The partner's sandbox as a whole: asking the worker to seed it (or to reset it) and recording how that went.

The seeding itself lives in the ``sandbox`` package, which nothing in ``apps`` imports: these services enqueue
its tasks by name once the transaction commits. The environment row is the record of the work (``seed_status``);
the broker only makes it fast, and the sandbox's beat sweeper re-sends a request whose message was lost.
"""

from datetime import date, timedelta

import structlog
from celery import current_app
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.core.errors import error_type
from apps.core.faults import Fault
from apps.partners.models import ApiKey, Environment
from apps.partners.services.api_keys import api_key_cache_key

logger = structlog.get_logger(__name__)

SEED_TASK = "sandbox.tasks.sandbox_seed_task"
RESET_TASK = "sandbox.tasks.sandbox_reset_task"
DEFAULT_SEED_HOLDERS = 20

SandboxBusy = error_type(
    "SandboxBusy",
    "sandbox_busy",
    409,
    "The sandbox is busy",
    "The sandbox is being seeded or reset; try again when its status is ready.",
)

SandboxClockInvalid = error_type(
    "SandboxClockInvalid",
    "sandbox_clock_invalid",
    400,
    "Invalid clock move",
    "The sandbox clock only moves forward, by 1 second to 365 days at a time.",
)

S = Environment.SeedStatus


def enqueue(name: str, *, environment_id: str) -> None:
    """Send the sandbox task ``name`` for ``environment_id`` once this transaction commits."""

    def send() -> None:
        try:
            options = {"kwargs": {"environment_id": environment_id}}
            task = current_app.tasks.get(name)  # registered where the tasks were discovered (the worker)
            if task is not None:
                task.apply_async(**options)
            else:
                current_app.send_task(name, **options)
        except Exception:  # the broker is down: the sweeper re-sends pending work
            logger.warning("sandbox_enqueue_failed", task=name, environment=environment_id, exc_info=True)

    transaction.on_commit(send)


def _mark(environment: Environment, status: str, *also: str) -> None:
    environment.seed_status = status
    environment.seed_updated_at = timezone.now()
    environment.save(update_fields=["seed_status", "seed_updated_at", "updated_at", *also])


@transaction.atomic
def sandbox_seed_request(*, environment: Environment, holders: int = DEFAULT_SEED_HOLDERS) -> Environment:
    """Ask the worker to seed ``environment`` (a sandbox) with the personas and ``holders`` random holders with a
    year of history. Its status becomes ``pending``."""
    if environment.kind != Environment.Kind.SANDBOX:
        raise ValueError("only a sandbox is seeded")
    environment.seed_holders = holders
    _mark(environment, S.PENDING, "seed_holders")
    enqueue(SEED_TASK, environment_id=environment.public_id)
    return environment


@transaction.atomic
def sandbox_reset_request(*, environment: Environment) -> Environment:
    """Ask the worker to restore ``environment`` to its seeded state. Refused (``SandboxBusy``, 409) while a seed
    or another reset is running. Its status becomes ``pending``."""
    locked = Environment.objects.select_for_update().get(pk=environment.pk)
    if locked.kind != Environment.Kind.SANDBOX:
        raise ValueError("only a sandbox is reset")
    if locked.seed_status in (S.PENDING, S.SEEDING):
        raise SandboxBusy()
    _mark(locked, S.PENDING)
    enqueue(RESET_TASK, environment_id=locked.public_id)
    return locked


def sandbox_seed_start(*, environment_id: str) -> Environment | None:
    """Claim pending seeding work for the worker: ``pending`` becomes ``seeding``. None when there is nothing to
    do (already claimed, done, or no such sandbox)."""
    with transaction.atomic():
        environment = (
            Environment.objects.select_for_update()
            .filter(public_id=environment_id, kind=Environment.Kind.SANDBOX, seed_status=S.PENDING)
            .first()
        )
        if environment is None:
            return None
        _mark(environment, S.SEEDING)
        return environment


def sandbox_seed_finish(
    *, environment: Environment, ok: bool, anchor: date | None = None, holders: int | None = None
) -> Environment:
    """Record the end of a seed or reset: ``ready`` (with the day the history was anchored to and, when given,
    the random holders seeded) or ``failed``."""
    if ok and anchor is not None:
        environment.seed_anchor = anchor
        if holders is not None:
            environment.seed_holders = holders
        environment.save(update_fields=["seed_anchor", "seed_holders", "updated_at"])
    _mark(environment, S.READY if ok else S.FAILED)
    return environment


def sandbox_seed_stale(*, older_than: timedelta) -> list[tuple[str, str]]:
    """Sandboxes whose seed or reset request has waited ``older_than`` without a worker claiming it (its message
    was lost): ``(environment id, task name)`` pairs for the sweeper to re-send."""
    cutoff = timezone.now() - older_than
    rows = Environment.objects.filter(
        kind=Environment.Kind.SANDBOX, seed_status=S.PENDING, seed_updated_at__lt=cutoff
    ).values_list("public_id", "seed_anchor")
    return [(public_id, SEED_TASK if anchor is None else RESET_TASK) for public_id, anchor in rows]


# --- The sandbox clock ------------------------------------------------------------------------------------------
MAX_CLOCK_ADVANCE = timedelta(days=365)


@transaction.atomic
def sandbox_clock_advance(*, environment: Environment, seconds: int) -> Environment:
    """Move the sandbox's clock ``seconds`` forward (``apps.core.clock.now`` follows ``clock_offset``). Only
    forward, at most a year per call (``SandboxClockInvalid``, 400); never in live (``ValueError``: the API answers
    404 before asking). Cached API keys of the environment hold a copy of it and are dropped once this commits,
    so every credential sees the new time on its next request."""
    if environment.kind != Environment.Kind.SANDBOX:
        raise ValueError("only a sandbox has a clock to move")
    if not 0 < seconds <= MAX_CLOCK_ADVANCE.total_seconds():
        raise SandboxClockInvalid(
            errors=[{"field": "seconds", "code": "sandbox_clock_invalid", "message": "Between 1 and 31536000."}]
        )
    locked = Environment.objects.select_for_update().get(pk=environment.pk)
    locked.clock_offset += timedelta(seconds=seconds)
    locked.save(update_fields=["clock_offset", "updated_at"])
    sandbox_key_cache_drop(environment=locked)
    return locked


def sandbox_key_cache_drop(*, environment: Environment) -> None:
    """Drop the environment's API keys from the lookup cache (a cached key holds its environment, clock offset
    included)."""
    keys = [
        api_key_cache_key(digest)
        for digest in ApiKey.objects.filter(environment=environment).values_list("digest", flat=True)
    ]
    # Now and again after the commit: a request that cached a key in between would keep the old clock otherwise.
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


# --- Fault injection --------------------------------------------------------------------------------------------
@transaction.atomic
def sandbox_fault_set(*, environment: Environment, fault: Fault | None) -> Environment:
    """Inject ``fault`` into every request of this sandbox from now on (``apps.core.faults``: a request's own
    ``Causeway-Sandbox-Fault`` header wins), or stop (``None``). Never in live (``ValueError``: the API answers 404
    and the portal works on the sandbox; the database refuses it too). Cached API keys hold a copy of the
    environment, so they are dropped."""
    if environment.kind != Environment.Kind.SANDBOX:
        raise ValueError("faults are injected in sandbox only")
    locked = Environment.objects.select_for_update().get(pk=environment.pk)
    locked.sandbox_fault = fault.setting() if fault is not None else ""
    locked.save(update_fields=["sandbox_fault", "updated_at"])
    sandbox_key_cache_drop(environment=locked)
    return locked
