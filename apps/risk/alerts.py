"""Raising an alert onto the holder's open case: ``alert_raise``, the one door into case management
(docs/risk.md, "Cases and alerts"). Below the services and the verifications so both, and the layers above
(risk scoring, transaction monitoring in transfers), raise alerts the same way."""

from typing import Any

from django.db import IntegrityError, transaction

from apps.core import clock
from apps.risk.models import Alert, Case
from apps.wallets.models import WalletHolder

EVIDENCE_KEYS = ("transfers", "transactions", "screening_hits", "verifications", "reasons", "figures")


def alert_raise(*, holder: WalletHolder, kind: str, summary: str, evidence: dict[str, Any], dedupe_key: str) -> Alert:
    """Raise an alert about ``holder`` and attach it to their open case, opening one when there is none.

    Idempotent by ``dedupe_key``: raising it again returns the first alert (wherever its case is now). Safe
    under concurrency on PostgreSQL without locks: the one-open-case-per-holder and unique-dedupe-key
    constraints decide a race, the loser's insert fails inside a savepoint and it reads the winner's row. Meant
    to be called inside the caller's transaction (a transfer's, a screening's): two to four short queries.
    ``kind`` is one of ``Alert.Kind``; ``evidence`` holds lists of public ids under ``transfers``,
    ``transactions`` and ``verifications``, screening hits' row keys under ``screening_hits`` (hits have no
    public id), reason codes under ``reasons`` and the numbers a rule met under ``figures`` (a flat object:
    amounts in minor units, counts, the rule's parameters). Staff-only: nothing of it reaches a partner. Raises
    ``ValueError`` for an unknown kind or evidence key."""
    dedupe_key = dedupe_key[:200]
    if kind not in Alert.Kind.values:
        raise ValueError(f"Unknown alert kind {kind!r}.")
    unknown = set(evidence) - set(EVIDENCE_KEYS)
    if unknown:
        raise ValueError(f"Unknown evidence keys {sorted(unknown)}.")
    existing = Alert.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    now = clock.now()
    case = Case.objects.filter(holder=holder, status__in=Case.OPEN_STATUSES).first()
    if case is None:
        try:
            with transaction.atomic():
                case = Case.objects.create(holder=holder, environment=holder.environment, opened_at=now)
        except IntegrityError:
            # Another transaction opened the holder's case first (the partial unique constraint waited for it).
            case = Case.objects.get(holder=holder, status__in=Case.OPEN_STATUSES)
    try:
        with transaction.atomic():
            return Alert.objects.create(
                case=case,
                kind=kind,
                summary=summary[:300],
                evidence={key: evidence[key] for key in EVIDENCE_KEYS if key in evidence},
                dedupe_key=dedupe_key,
                raised_at=now,
            )
    except IntegrityError:
        return Alert.objects.get(dedupe_key=dedupe_key)
