"""Writes for sanctions screening: loading a list version, atomically; recording hits; screening holders. A hit
raises an alert onto the holder's case (``alert_raise``, from ``apps.risk.alerts``, the one door into cases).

``sanctions_list_load`` takes a whole parsed file (``apps.risk.parsers``: a bad file never gets this far) and,
in one transaction, writes the new version and its entries, deactivates the version it replaces and activates
the new one. Until that transaction commits every screening uses the old version; if anything in it fails, the
old version stays active and nothing of the new one remains.
"""

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Max

from apps.core import clock
from apps.core.errors import InvalidStateTransition
from apps.risk.alerts import alert_raise as alert_raise  # the one door into cases, also for the layers above
from apps.risk.matcher import EmptyName
from apps.risk.models import SanctionsEntry, SanctionsList, ScreeningHit
from apps.risk.parsers import ParsedList, parse_ofac_sdn
from apps.risk.selectors import Party, PartyHit, matcher_cache_clear, matcher_for, parties_screen
from apps.wallets.models import WalletHolder

# A new version with fewer than this share of the active one's entries is refused unless the caller says the
# shrink is expected: the usual cause is a truncated download that still parses.
MIN_SHARE_OF_ACTIVE = 0.5
BATCH = 2000
SANDBOX_LIST = Path(__file__).resolve().parent / "data" / "sandbox_sdn.csv"
SANDBOX_ALIASES = Path(__file__).resolve().parent / "data" / "sandbox_alt.csv"
SANDBOX_LIST_DATE = date(2026, 12, 1)  # when the bundled files last changed


class ListRefused(ValueError):
    """The parsed list may not replace the active one (see ``sanctions_list_load``)."""


@transaction.atomic
def sanctions_list_load(*, parsed: ParsedList, file_name: str = "", allow_shrink: bool = False) -> SanctionsList:
    """Make ``parsed`` the active version of its source. The active version is locked first, so two loads of
    one source run one after the other (two first loads: the unique version number lets one win). Raises
    ``ListRefused`` when the new version has fewer than ``MIN_SHARE_OF_ACTIVE`` of the active one's entries and
    ``allow_shrink`` is not set."""
    active = SanctionsList.objects.select_for_update().filter(source=parsed.source, is_active=True).first()
    count = len(parsed.entries)
    if active is not None and not allow_shrink and count < active.entry_count * MIN_SHARE_OF_ACTIVE:
        raise ListRefused(
            f"The new {parsed.source} list has {count} entries against {active.entry_count} in the active version "
            f"(v{active.version}); a cut-short download is the usual cause. Load it with --allow-shrink if the "
            "list really shrank."
        )
    latest = SanctionsList.objects.filter(source=parsed.source).aggregate(latest=Max("version"))["latest"] or 0
    version = SanctionsList.objects.create(
        source=parsed.source,
        version=latest + 1,
        list_date=parsed.list_date,
        loaded_at=clock.now(),
        entry_count=count,
        file_name=file_name[:255],
        digest=parsed.digest,
        is_active=False,
    )
    SanctionsEntry.objects.bulk_create(
        (
            SanctionsEntry(
                sanctions_list=version,
                uid=entry.uid,
                kind=entry.kind[:40],
                name=entry.names[0][:500],
                aliases=list(entry.names[1:]),
                dates_of_birth=list(entry.dates_of_birth),
                programs=entry.programs[:500],
            )
            for entry in parsed.entries
        ),
        batch_size=BATCH,
    )
    if active is not None:
        active.is_active = False
        active.save(update_fields=["is_active", "updated_at"])
    version.is_active = True
    version.save(update_fields=["is_active", "updated_at"])
    # This process screens with the new version from now on (its own transaction sees it), the others within
    # MATCHER_CHECK_SECONDS of the commit.
    matcher_cache_clear()
    transaction.on_commit(matcher_cache_clear)
    return version


def sandbox_list_ensure() -> SanctionsList:
    """The sandbox's test list (``apps/risk/data/sandbox_sdn.csv`` and its aliases, in OFAC's format), loaded
    when no version of it is active. The sandbox's seeding calls it, so every partner's sandbox screens against
    it from sign-up."""
    active = SanctionsList.objects.filter(source=SanctionsList.Source.SANDBOX, is_active=True).first()
    if active is not None:
        return active
    parsed = parse_ofac_sdn(SANDBOX_LIST, alt=SANDBOX_ALIASES, list_date=SANDBOX_LIST_DATE)
    sandbox = ParsedList(
        source=SanctionsList.Source.SANDBOX, list_date=parsed.list_date, entries=parsed.entries, digest=parsed.digest
    )
    try:
        with transaction.atomic():
            return sanctions_list_load(parsed=sandbox, file_name=SANDBOX_LIST.name)
    except IntegrityError:
        # Two sandboxes seeded at once both loaded version 1: the other's is the list.
        return SanctionsList.objects.get(source=SanctionsList.Source.SANDBOX, is_active=True)


# --- Screening ---------------------------------------------------------------------------------------------------
def screening_hits_record(*, environment_kind: str, hits: Sequence[PartyHit], transfer: str = "") -> list[ScreeningHit]:
    """Write the evidence of ``hits`` (the matched entry, which name or alias, the score and the reasons), for
    the held transfer ``transfer`` (its public id) when there is one. Inside the caller's transaction."""
    return ScreeningHit.objects.bulk_create(
        ScreeningHit(
            subject=hit.party.subject,
            environment=environment_kind,
            holder=hit.party.holder,
            transfer=transfer,
            screened_name=hit.party.name[:500],
            entry_id=hit.match.entry.row_id,
            matched_name=hit.match.matched_name[:500],
            alias=hit.match.alias,
            score=hit.match.score,
            reasons=list(hit.match.reasons),
        )
        for hit in hits
    )


def holder_screen(holder: WalletHolder) -> ScreeningHit | None:
    """Screen an active holder's name (at creation: ``holder_create``'s hook, registered in ``RiskConfig``; and
    when a new list loads); on a hit, freeze the holder (``status`` ``frozen``) and record the hit. Inside the
    caller's transaction; returns the hit, or None."""
    if holder.status != WalletHolder.Status.ACTIVE:
        return None
    party = Party(name=holder.name, subject=ScreeningHit.Subject.HOLDER, holder=holder)
    hits = parties_screen(environment_kind=holder.environment, parties=[party])
    if not hits:
        return None
    holder.status = WalletHolder.Status.FROZEN
    holder.save(update_fields=["status", "updated_at"])
    hit = screening_hits_record(environment_kind=holder.environment, hits=hits)[0]
    alert_raise(
        holder=holder,
        kind="sanctions_holder",
        summary=f"Holder frozen: name matched {hit.matched_name!r} (score {hit.score})",
        evidence={"screening_hits": [hit.pk], "reasons": list(hit.reasons)},
        dedupe_key=f"sanctions_holder:{hit.pk}",
    )
    return hit


@transaction.atomic
def holder_unfreeze(*, holder: WalletHolder) -> WalletHolder:
    """Lift a screening freeze (the bank staff's four-eyes decision on the holder's case): ``frozen -> active``
    under the holder's lock. Raises ``InvalidStateTransition`` unless the holder is frozen."""
    locked = WalletHolder.objects.select_for_update().get(pk=holder.pk)
    if locked.status != WalletHolder.Status.FROZEN:
        raise InvalidStateTransition(f"Holder {locked.public_id} is {locked.status}, not frozen.")
    locked.status = WalletHolder.Status.ACTIVE
    locked.save(update_fields=["status", "updated_at"])
    return locked


def transfer_hits_record(
    *, environment_kind: str, holder: WalletHolder, transfer: str, hits: Sequence[PartyHit]
) -> list[ScreeningHit]:
    """Record the hits that hold ``transfer`` (its public id) and raise a ``sanctions_transfer`` alert on the
    paying (or, for a top-up, receiving) ``holder``'s case. Inside the transfer's transaction."""
    rows = screening_hits_record(environment_kind=environment_kind, hits=hits, transfer=transfer)
    names = ", ".join(sorted({repr(row.matched_name) for row in rows}))
    alert_raise(
        holder=holder,
        kind="sanctions_transfer",
        summary=f"Transfer {transfer} held: {len(rows)} screening hit(s) on {names}",
        evidence={"transfers": [transfer], "screening_hits": [row.pk for row in rows]},
        dedupe_key=f"sanctions_transfer:{transfer}",
    )
    return rows


def holders_rescreen(*, environment_kind: str, batch: int = 1000) -> int:
    """Screen every active holder of ``environment_kind`` against its lists as they are now (after a load), in
    batches by primary key; each hit freezes its holder in a short transaction of its own, under the holder's
    lock, so a holder that changed meanwhile is screened as it is. Returns how many were frozen. Runs in time
    proportional to the holders (about 0.3 ms each against 20,000 entries): the load command calls it after the
    new version has committed."""
    frozen = 0
    after = 0
    matcher = matcher_for(environment_kind=environment_kind)
    while True:
        rows = list(
            WalletHolder.objects.filter(environment=environment_kind, status=WalletHolder.Status.ACTIVE, pk__gt=after)
            .order_by("pk")
            .values_list("pk", "name")[:batch]
        )
        if not rows:
            return frozen
        after = rows[-1][0]
        for pk, name in rows:
            try:
                if not matcher.screen(name, limit=1):
                    continue
            except EmptyName:
                continue
            with transaction.atomic():
                holder = WalletHolder.objects.select_for_update().get(pk=pk)
                frozen += holder_screen(holder) is not None
