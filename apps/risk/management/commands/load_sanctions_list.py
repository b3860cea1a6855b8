"""``manage.py load_sanctions_list FILE --format ofac-sdn-csv|eu-consolidated-xml``: load a new version of a
sanctions list from the official published file (docs/risk.md, "For bank staff"), then re-screen the holders
it applies to."""

from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.risk.models import SanctionsList
from apps.risk.parsers import (
    FORMATS,
    OFAC_SDN_CSV,
    ListFileError,
    parse_eu_consolidated,
    parse_ofac_sdn,
)
from apps.risk.services import ListRefused, holders_rescreen, sanctions_list_load


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--list-date {value!r} is not a date (YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = "Load a sanctions list file as the new active version of its source (refused whole if malformed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="sdn.csv (OFAC) or the EU consolidated list's XML file")
        parser.add_argument("--format", required=True, choices=FORMATS, dest="list_format")
        parser.add_argument(
            "--alt",
            help="OFAC only: the aliases file (default: alt.csv beside FILE when it exists)",
        )
        parser.add_argument(
            "--list-date",
            help="OFAC only: the list's publication date, YYYY-MM-DD (default: the file's modification date)",
        )
        parser.add_argument(
            "--allow-shrink",
            action="store_true",
            help="accept a list with fewer than half the entries of the active version",
        )

    def handle(self, *args: Any, file: str, list_format: str, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        try:
            if list_format == OFAC_SDN_CSV:
                alt = Path(options["alt"]) if options.get("alt") else path.with_name("alt.csv")
                if options.get("alt") and not alt.is_file():
                    raise CommandError(f"{alt}: no such file.")
                list_date = (
                    _date(options["list_date"])
                    if options.get("list_date")
                    else datetime.fromtimestamp(path.stat().st_mtime).date()
                )
                parsed = parse_ofac_sdn(path, alt=alt if alt.is_file() else None, list_date=list_date)
            else:
                if options.get("alt") or options.get("list_date"):
                    raise CommandError("--alt and --list-date are for the OFAC format only.")
                parsed = parse_eu_consolidated(path)
            loaded = sanctions_list_load(parsed=parsed, file_name=path.name, allow_shrink=options["allow_shrink"])
        except (ListFileError, ListRefused) as exc:
            raise CommandError(f"{exc} Nothing was loaded; the active list is unchanged.") from exc
        self.stdout.write(
            f"Loaded {loaded.get_source_display()} version {loaded.version} dated {loaded.list_date.isoformat()}: "
            f"{loaded.entry_count} entries, now active."
        )
        # Every active holder the list applies to is screened again against it (docs/risk.md).
        kind = "sandbox" if loaded.source == SanctionsList.Source.SANDBOX else "live"
        frozen = holders_rescreen(environment_kind=kind)
        self.stdout.write(f"Re-screened the {kind} holders: {frozen} frozen on a hit.")
