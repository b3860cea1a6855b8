"""Writes for sanctions screening: loading a list version, atomically.

``sanctions_list_load`` takes a whole parsed file (``apps.risk.parsers``: a bad file never gets this far) and,
in one transaction, writes the new version and its entries, deactivates the version it replaces and activates
the new one. Until that transaction commits every screening uses the old version; if anything in it fails, the
old version stays active and nothing of the new one remains.
"""

from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from apps.core import clock
from apps.risk.models import SanctionsEntry, SanctionsList
from apps.risk.parsers import ParsedList, parse_ofac_sdn
from apps.risk.selectors import matcher_cache_clear

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
    return sanctions_list_load(parsed=sandbox, file_name=SANDBOX_LIST.name)
