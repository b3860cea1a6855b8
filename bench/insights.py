"""Spending insights latency: `python bench/insights.py [--holders 200] [--requests 300] [--older-years 3] [--keep]`.

PostgreSQL only (``DATABASE_URL=postgres://...``). Creates a throwaway database next to the one ``DATABASE_URL``
names (``BENCH_INSIGHTS_DB``, default ``causeway_bench_insights``), migrates it and seeds one partner's sandbox
with ``sandbox.seed.seed_sandbox`` (the personas plus ``--holders`` random holders, 12 months of history each, so
the ledger holds many other holders' rows). One seeded holder is opted in; then, with the in-process test client
and a secret key, it times ``GET /v1/wallets/{id}`` (the baseline), ``GET /v1/wallet_holders/{id}/insights`` (the
default 90 days) and the same for the whole 12 months, each after 20 warm-ups and then in turns (round robin),
and prints p50/p99 and the ratio of each to the baseline's p50 in the same run (the target: insights p99 under
50 ms), with the plan of the insights' range read (EXPLAIN ANALYZE: the index, its condition, the rows).

Then the same holder gets ``--older-years`` more years of history before the seeded year (about 30 movements a
month, through the ledger) and everything is timed again: the cost must not grow with older history, since the
read's range stops at the window's previous period and the recurring look-back. Nothing here is an assertion.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WARMUP = 20

from bench.transactions_paging import _admin, _percentile  # noqa: E402 (after the path is set)


def _urls() -> tuple[str, str]:
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit("bench/insights.py measures PostgreSQL only: set DATABASE_URL=postgres://user@host:port/db.")
    name = os.environ.get("BENCH_INSIGHTS_DB", "causeway_bench_insights")
    if not name.replace("_", "").isalnum():
        sys.exit(f"BENCH_INSIGHTS_DB must be a plain identifier, got {name!r}.")
    bench = urlunsplit(parts._replace(path=f"/{name}"))
    return bench, urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holders", type=int, default=200, help="Random holders seeded besides the personas.")
    parser.add_argument("--requests", type=int, default=300, help="Timed requests per variant.")
    parser.add_argument("--older-years", type=int, default=3, help="Years of older history added, then timed again.")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    args = parser.parse_args()
    bench_url, admin = _urls()
    db_name = urlsplit(bench_url).path.lstrip("/")
    os.environ["DATABASE_URL"] = bench_url
    os.environ["CAUSEWAY_VAR_DIR"] = tempfile.mkdtemp(prefix="causeway-bench-")
    for name in ("CACHE_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    _admin(admin, f'DROP DATABASE IF EXISTS "{db_name}"')
    _admin(admin, f'CREATE DATABASE "{db_name}"')
    started = False
    try:
        import django

        django.setup()
        started = True
        run(args)
    finally:
        if started:
            from django.db import connections

            connections.close_all()
        if args.keep:
            print(f"kept database {db_name}")
        else:
            _admin(admin, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from apps.core import clock
    from apps.partners.services import api_key_create, partner_create
    from apps.wallets.models import Transaction, WalletHolder
    from apps.wallets.preferences import personalisation_set
    from sandbox.seed import seed_sandbox

    call_command("migrate_all", verbosity=0)
    partner = partner_create(name="Bench insights")
    sandbox = partner.environments.get(kind="sandbox")
    key = api_key_create(environment=sandbox).secret
    began = time.perf_counter()
    report = seed_sandbox(partner=partner, holders=args.holders, months=12)
    print(
        f"seeded {report.holders} holders, {report.transactions:,} transactions in {time.perf_counter() - began:.0f} s"
        f" ({Transaction.objects.count():,} transactions in the database)"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    holder = WalletHolder.objects.filter(partner=partner, user__isnull=True).order_by("pk").first()
    personalisation_set(holder=holder, enabled=True)
    wallet = holder.wallets.exclude(currency="XPT").order_by("pk").first()
    rows = Transaction.objects.filter(wallet=wallet).count()
    today = clock.now(environment=sandbox).date()
    year = f"?from={today - timedelta(days=365)}&to={today}"
    variants = {
        "wallet_retrieve (baseline)": f"/v1/wallets/{wallet.public_id}",
        "insights_90_days": f"/v1/wallet_holders/{holder.public_id}/insights",
        "insights_12_months": f"/v1/wallet_holders/{holder.public_id}/insights{year}",
    }
    print(f"holder {holder.public_id}: {rows} transactions in {wallet.currency}")
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    _measure(client, auth, variants, args.requests)
    _plan(holder, wallet, today)
    if args.older_years:
        added = _older_history(wallet, years=args.older_years)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        rows = Transaction.objects.filter(wallet=wallet).count()
        span = f"{args.older_years} years, ending 2 years back"
        print(f"\nadded {added} transactions older than any read ({span}): {rows} in all")
        _measure(client, auth, variants, args.requests)
        _plan(holder, wallet, today)


def _measure(client: Any, auth: dict[str, str], variants: dict[str, str], requests: int) -> None:
    for url in variants.values():
        response = client.get(url, **auth)
        assert response.status_code == 200, (response.status_code, response.content[:300])
        for _ in range(WARMUP):
            client.get(url, **auth)
    # Round robin, so a busy machine slows every variant alike.
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(requests):
        for name, url in variants.items():
            start = time.perf_counter()
            client.get(url, **auth)
            samples[name].append((time.perf_counter() - start) * 1000)
    results = {name: (statistics.median(times), _percentile(times, 0.99)) for name, times in samples.items()}
    base = results["wallet_retrieve (baseline)"][0]
    for name, (p50, p99) in results.items():
        print(f"{name:28s} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  ratio p50 {p50 / base:5.2f}x")


def _plan(holder: Any, wallet: Any, today: Any) -> None:
    """EXPLAIN ANALYZE of the 12-month insights' range read (the widest: window, previous period, look-back)."""
    from datetime import UTC, datetime

    from apps.offers.selectors.insights import spending_query

    until = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    since = until - timedelta(days=2 * 366)
    plan = spending_query(wallets=[wallet], since=since, until=until).explain(analyze=True)
    for line in plan.splitlines():
        if any(word in line for word in ("Index", "Seq Scan", "Execution Time", "Nested Loop")):
            print("  plan:", line.strip())


def _older_history(wallet: Any, *, years: int) -> int:
    """About 30 movements a month for ``years`` years ending over two years back (before any window's reads),
    through the ledger: a monthly salary in, card payments out at a few merchants."""
    import random

    from django.db import transaction

    from apps.core import clock
    from apps.wallets.ledger import CLEARING_BANK, CLEARING_CARD, Line, TransactionSpec, journal_post, system_account
    from apps.wallets.ledger import wallet_account as account_of
    from apps.wallets.models import Transaction

    rng = random.Random(7)
    holder = wallet.holder
    accounts = {
        code: system_account(code=code, currency=wallet.currency, environment="sandbox", partner=holder.partner)
        for code in (CLEARING_BANK, CLEARING_CARD)
    }
    # Older than anything a request reads (a 12-month window reads back two years), so only the cost of a
    # longer history shows, not more rows in the window.
    first = Transaction.objects.filter(wallet=wallet).order_by("booked_at").values_list("booked_at", flat=True)[0]
    oldest = min(first, clock.now(environment=None) - timedelta(days=2 * 366 + 7))
    merchants = [("Harbor Fresh Market", "groceries"), ("Bean There Coffee", "dining"), ("Metro Transit", "transport")]
    added = 0
    with transaction.atomic():
        for month in range(1, 12 * years + 1):
            start = oldest - timedelta(days=30.44 * month)
            moves = [(start, 400_000, ("Acme Corp", "salary"), CLEARING_BANK)]
            for _ in range(29):
                at = start + timedelta(days=rng.uniform(0, 30), seconds=rng.randint(0, 86_399))
                moves.append((at, -rng.randint(300, 9_000), rng.choice(merchants), CLEARING_CARD))
            for at, amount, (merchant, category), rail in moves:
                spec = TransactionSpec(
                    type=Transaction.Type.DEPOSIT if amount > 0 else Transaction.Type.CARD_PAYMENT,
                    category=category,
                    description=merchant,
                    merchant_name=merchant if amount < 0 else "",
                    counterparty=merchant if amount > 0 else "",
                    booked_at=at,
                )
                journal_post(
                    kind="bench_history",
                    lines=[Line(account_of(wallet), amount, spec), Line(accounts[rail], -amount)],
                    environment="sandbox",
                    partner=holder.partner,
                    record_events=False,
                )
                added += 1
    return added


if __name__ == "__main__":
    main()
