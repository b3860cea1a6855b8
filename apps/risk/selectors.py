"""Reads for sanctions screening: the active list versions, and the in-process matcher built from them; and a
holder's KYC verifications.

Screening must cost the transfer path a bounded amount whatever the lists' length, so each process keeps one
``Matcher`` per environment kind, built from the entries of the active versions when they change. Whether they
changed is asked at most every ``MATCHER_CHECK_SECONDS`` (one query returning at most one row per source); a
load clears the loading process's copy on commit, and every other process picks the new version up within that
time. Building a matcher reads the active entries once (about a second for 20,000 entries); screening a name
reads nothing.

Which lists apply: live holders and counterparties are screened against every active official list (OFAC SDN,
EU consolidated); sandbox ones against the sandbox's test list only, so fake data never trips over a real list
and partners get the same answers every time (docs/risk.md).
"""

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from apps.core.errors import NotFound
from apps.risk.matcher import EmptyName, ListedEntry, Match, Matcher
from apps.risk.models import KycVerification, SanctionsEntry, SanctionsList
from apps.wallets.models import WalletHolder

MATCHER_CHECK_SECONDS = 5.0
S = SanctionsList.Source
SOURCES = {"live": (S.OFAC_SDN, S.EU_CONSOLIDATED), "sandbox": (S.SANDBOX,)}


def sanctions_lists_active() -> QuerySet[SanctionsList]:
    return SanctionsList.objects.filter(is_active=True).order_by("source")


@dataclass
class _Cached:
    versions: tuple[int, ...]
    matcher: Matcher
    checked_at: float


_cache: dict[str, _Cached] = {}
_lock = threading.Lock()


def matcher_cache_clear() -> None:
    """Forget this process's matchers (a load calls it on commit; tests between cases)."""
    with _lock:
        _cache.clear()


def _build(versions: tuple[int, ...]) -> Matcher:
    rows = (
        SanctionsEntry.objects.filter(sanctions_list_id__in=versions)
        .order_by("pk")
        .values_list("pk", "sanctions_list_id", "sanctions_list__source", "uid", "kind", "name", "aliases",
                     "dates_of_birth")
    )  # fmt: skip
    return Matcher(
        ListedEntry(
            row_id=pk, list_id=list_id, source=source, uid=uid, kind=kind, names=(name, *aliases),
            dates_of_birth=tuple(dobs),
        )
        for pk, list_id, source, uid, kind, name, aliases, dobs in rows.iterator(chunk_size=5000)
    )  # fmt: skip


def matcher_for(*, environment_kind: str) -> Matcher:
    """The matcher over the lists that apply to ``environment_kind`` (``live`` or ``sandbox``)."""
    now = time.monotonic()
    cached = _cache.get(environment_kind)
    if cached is not None and now - cached.checked_at < MATCHER_CHECK_SECONDS:
        return cached.matcher
    versions = tuple(
        SanctionsList.objects.filter(is_active=True, source__in=SOURCES[environment_kind])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if cached is not None and cached.versions == versions:
        cached.checked_at = now
        return cached.matcher
    matcher = _build(versions)
    with _lock:
        _cache[environment_kind] = _Cached(versions=versions, matcher=matcher, checked_at=now)
    return matcher


@dataclass(frozen=True)
class Party:
    """A name to screen and whose it is: the ``holder`` it belongs to (a transfer's payer or payee, a holder
    being onboarded), or None for a bank account's holder name; ``subject`` is ``holder`` or ``counterparty``."""

    name: str
    subject: str
    holder: WalletHolder | None = None


@dataclass(frozen=True)
class PartyHit:
    """A party whose name matched a listed entry (its best match)."""

    party: Party
    match: Match


def parties_screen(*, environment_kind: str, parties: Iterable[Party]) -> list[PartyHit]:
    """The parties whose names are hits in ``environment_kind``'s lists, each with its best match. A blank name
    (a bank account without a holder name) has nothing to screen and is skipped. Reads nothing but, at most
    every ``MATCHER_CHECK_SECONDS``, the active versions."""
    matcher = matcher_for(environment_kind=environment_kind)
    hits = []
    for party in parties:
        try:
            match = matcher.best_match(party.name)
        except EmptyName:
            continue
        if match is not None:
            hits.append(PartyHit(party=party, match=match))
    return hits


def screen_name(*, name: str, environment_kind: str, date_of_birth: date | None = None) -> list[Match]:
    """The listed entries ``name`` matches in ``environment_kind``'s lists, best first. Raises ``EmptyName``."""
    return matcher_for(environment_kind=environment_kind).screen(name, date_of_birth=date_of_birth)


# --- KYC verifications ------------------------------------------------------------------------------------------
def verification_list(*, holder: WalletHolder) -> QuerySet[KycVerification]:
    return KycVerification.objects.filter(holder=holder).select_related("holder").order_by("-pk")


def verification_get(*, holder: WalletHolder, verification_id: str) -> KycVerification:
    verification = verification_list(holder=holder).filter(public_id=verification_id).first()
    if verification is None:
        raise NotFound(f"No such verification: {verification_id!r}.")
    return verification
