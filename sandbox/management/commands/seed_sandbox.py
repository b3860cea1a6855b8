"""``manage.py seed_sandbox [--partner pt_...] [--seed N] [--holders N] [--months N] [--anchor YYYY-MM-DD]``.

Fills a partner's sandbox with deterministic fake holders, wallets and history (``sandbox.seed``). Without
``--partner`` it seeds the demo partner (created when missing). A sandbox that already has holders is refused
unless ``--append`` is given (the same seed into a non-empty sandbox would not give the same sandbox); personas
that already exist are kept as they are.
"""

import argparse
import json
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.partners.models import Partner
from sandbox.quickstart import demo_partner, demo_sandbox_is_empty, is_demo_partner
from sandbox.seed import DEFAULT_HOLDERS, DEFAULT_MONTHS, DEFAULT_SEED, MAX_MONTHS, SeedError, seed_sandbox


def _anchor(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"a date as YYYY-MM-DD, not {value!r}") from error


def _count(name: str, low: int, high: int | None = None):
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError as error:
            raise argparse.ArgumentTypeError(f"an integer, not {value!r}") from error
        if number < low or (high is not None and number > high):
            raise argparse.ArgumentTypeError(f"between {low} and {high}" if high else f"at least {low}")
        return number

    return parse


class Command(BaseCommand):
    help = "Seed a partner's sandbox with deterministic holders, wallets and months of history."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--partner", help="The partner's id (pt_...); the demo partner when omitted.")
        parser.add_argument("--seed", type=_count("seed", 0), default=DEFAULT_SEED, help="Same seed, same data.")
        parser.add_argument("--holders", type=_count("holders", 0), default=DEFAULT_HOLDERS, help="Random holders.")
        parser.add_argument(
            "--months", type=_count("months", 0, MAX_MONTHS), default=DEFAULT_MONTHS, help="History per holder."
        )
        parser.add_argument(
            "--anchor", type=_anchor, help="History ends the day before this date (default: today, sandbox clock)."
        )
        parser.add_argument("--append", action="store_true", help="Seed even if the sandbox already has holders.")
        parser.add_argument("--json", action="store_true", help="Print only a JSON summary on stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["partner"]:
            partner = Partner.objects.filter(public_id=options["partner"]).first()
            if partner is None:
                raise CommandError(f"No partner {options['partner']!r}.")
        elif settings.SANDBOX_QUICKSTART_ENABLED:
            partner = demo_partner()
        else:
            raise CommandError("Name a partner with --partner: the demo partner is disabled in this deployment.")
        if not options["append"] and not demo_sandbox_is_empty(partner):
            raise CommandError(
                f"{partner.public_id}'s sandbox already has holders: reset it first, or pass --append to add more."
            )
        try:
            report = seed_sandbox(
                partner=partner,
                seed=options["seed"],
                holders=options["holders"],
                months=options["months"],
                anchor=options["anchor"],
                demo=is_demo_partner(partner),
            )
        except SeedError as error:
            raise CommandError(str(error)) from error
        summary = {
            "partner": report.partner,
            "seed": report.seed,
            "anchor": report.anchor.isoformat(),
            "holders": report.holders,
            "wallets": report.wallets,
            "funding_sources": report.funding_sources,
            "transactions": report.transactions,
            "holds": report.holds,
            "seconds": round(report.seconds, 2),
            "personas": report.personas,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
            return
        self.stdout.write(
            f"Seeded {report.holders} holders, {report.wallets} wallets, {report.funding_sources} funding sources and "
            f"{report.transactions} transactions ({report.holds} pending) into {report.partner}'s sandbox in "
            f"{report.seconds:.1f} s (seed {report.seed}, history ending before {report.anchor.isoformat()})."
        )
        for persona in report.personas:
            wallets = ", ".join(f"{w['currency']} {w['id']}" for w in persona["wallets"])
            self.stdout.write(f"Persona {persona['username']} / {persona['password']}: {persona['holder']} ({wallets})")
