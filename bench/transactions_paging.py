"""Transactions feed paging depth: `python bench/transactions_paging.py [--entries 1000000] [--keep]`.

PostgreSQL only (``DATABASE_URL=postgres://...``; SQLite is refused). The script creates a throwaway database on
the server ``DATABASE_URL`` points to (name from ``BENCH_PAGING_DB``, default ``causeway_bench_paging``),
migrates it, opens one sandbox USD wallet and loads ``--entries`` ledger entries into it (half as many posted
transactions: each journal is the wallet entry plus its clearing entry) through ``apps.wallets.bulk``'s
``history_import`` in chunks, one transaction each. It then times ``GET /v1/wallets/{id}/transactions`` with the
in-process Django test client and a secret key: the first page and page 50 (default limit 20, page 50 being
``starting_after`` the 980th newest transaction), each after 20 warm-up requests, and prints p50/p99 latency,
requests per second and the ratio page 50 / first page (the target is within 2x). The database is dropped at
the end unless ``--keep``. Nothing here is a test assertion.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHUNK = 50_000
WARMUP = 20


def _server_url() -> tuple[str, str]:
    """(the benchmark database's URL, libpq conninfo for the server's ``postgres`` database); exits on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit(
            "bench/transactions_paging.py measures PostgreSQL only: set DATABASE_URL=postgres://user@host:port/db "
            "(the database named there is not touched; a throwaway one is created next to it). "
            f"Got {parts.scheme or 'nothing'!r} (SQLite is not supported)."
        )
    name = os.environ.get("BENCH_PAGING_DB", "causeway_bench_paging")
    if not name.replace("_", "").isalnum():
        sys.exit(f"BENCH_PAGING_DB must be a plain identifier, got {name!r}.")
    bench = urlunsplit(parts._replace(path=f"/{name}"))
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    return bench, admin


def _admin(conninfo: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(statement)


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="Ledger entries (2 per transaction).")
    parser.add_argument("--requests", type=int, default=300, help="Timed requests per variant.")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    args = parser.parse_args()
    transactions = args.entries // 2
    if transactions < 1000:
        sys.exit("--entries must be at least 2000 (page 50 needs 1,000 transactions).")

    bench_url, admin = _server_url()
    db_name = urlsplit(bench_url).path.lstrip("/")
    # Start Django like bench/bootstrap.py (throwaway folder, in-process cache and broker, background request log
    # writer) but keep PostgreSQL, on the throwaway database.
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
        from django.conf import settings

        settings.REQUEST_LOG_WRITER = "thread"
        run(args, transactions, db_name)
    finally:
        if started:
            from django.db import connections

            from apps.partners import request_logs

            request_logs.flush(timeout=30)  # the background writer's rows go in before the database goes
            connections.close_all()
        if args.keep:
            print(f"kept database {db_name}")
        else:
            _admin(admin, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def run(args: argparse.Namespace, transactions: int, db_name: str) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from apps.core import clock
    from apps.partners.services import api_key_create, partner_create
    from apps.wallets.bulk import history_import
    from apps.wallets.ledger import CLEARING_BANK, CLEARING_CARD
    from apps.wallets.models import Entry, Transaction
    from apps.wallets.services import holder_create, wallet_open
    from apps.wallets.validators import HistoryItem

    call_command("migrate_all", verbosity=0)
    partner = partner_create(name="Bench paging")
    sandbox = partner.environments.get(kind="sandbox")
    key = api_key_create(environment=sandbox).secret
    holder = holder_create(environment="sandbox", partner=partner, name="Paging Bench", email="bench@example.com")
    wallet = wallet_open(holder=holder, currency="USD")

    # Strictly increasing booking times, one a minute, the newest a minute before now.
    start = clock.now() - timedelta(minutes=transactions + 1)

    def item(n: int) -> HistoryItem:
        booked_at = start + timedelta(minutes=n)
        if n == 0:  # one large credit first, then small debits and credits: never below zero
            return HistoryItem(
                wallet=wallet,
                booked_at=booked_at,
                amount=10_000_000_00,
                type="deposit",
                category="income",
                rail=CLEARING_BANK,
                description="Opening deposit",
            )
        if n % 2:
            return HistoryItem(
                wallet=wallet,
                booked_at=booked_at,
                amount=-(100 + n % 5_000),
                type="card_payment",
                category="groceries",
                rail=CLEARING_CARD,
                description=f"Card payment {n}",
                merchant_name="Corner Shop",
            )
        return HistoryItem(
            wallet=wallet,
            booked_at=booked_at,
            amount=50 + n % 3_000,
            type="refund",
            category="refund",
            rail=CLEARING_CARD,
            description=f"Refund {n}",
            merchant_name="Corner Shop",
        )

    print(
        f"database: {connection.vendor} {db_name}; loading {transactions:,} transactions ({2 * transactions:,} entries)"
    )
    started = time.perf_counter()
    written = 0
    for offset in range(0, transactions, CHUNK):
        written += history_import(items=[item(n) for n in range(offset, min(offset + CHUNK, transactions))])
    load_seconds = time.perf_counter() - started
    entries = Entry.objects.filter(journal__transactions__wallet=wallet).count()
    print(
        f"load: {load_seconds:.1f} s ({written / load_seconds:,.0f} txns/s); "
        f"{written:,} transactions, {entries:,} entries in the wallet's journals"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a table this size

    cursor_id = Transaction.objects.filter(wallet=wallet).order_by("-pk").values_list("public_id", flat=True)[979]
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    base = f"/v1/wallets/{wallet.public_id}/transactions"
    variants = {"first_page": base, "page_50": f"{base}?starting_after={cursor_id}"}
    expected_first = {
        "first_page": Transaction.objects.filter(wallet=wallet).order_by("-pk").values_list("public_id", flat=True)[0],
        "page_50": Transaction.objects.filter(wallet=wallet).order_by("-pk").values_list("public_id", flat=True)[980],
    }

    results = {}
    for name, url in variants.items():
        response = client.get(url, **auth)
        assert response.status_code == 200, (response.status_code, response.content[:300])
        body = response.json()
        assert len(body["data"]) == 20 and body["data"][0]["id"] == expected_first[name], body["data"][:1]
        for _ in range(WARMUP):
            client.get(url, **auth)
        samples = []
        began = time.perf_counter()
        for _ in range(args.requests):
            t0 = time.perf_counter()
            response = client.get(url, **auth)
            samples.append((time.perf_counter() - t0) * 1e3)
            assert response.status_code == 200
        elapsed = time.perf_counter() - began
        results[name] = {
            "p50": _percentile(samples, 0.50),
            "p99": _percentile(samples, 0.99),
            "mean": statistics.fmean(samples),
            "rps": args.requests / elapsed,
        }

    print(f"{'variant':<12}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'req/s':>9}   ({args.requests} requests each)")
    for name, row in results.items():
        print(f"{name:<12}{row['p50']:>9.2f}{row['p99']:>9.2f}{row['mean']:>9.2f}{row['rps']:>9.1f}")
    ratio = results["page_50"]["p50"] / results["first_page"]["p50"]
    verdict = "within" if ratio <= 2 else "OVER"
    print(f"ratio page_50/first_page (p50): {ratio:.2f} ({verdict} the 2x target)")
    print(f"ratio page_50/first_page (p99): {results['page_50']['p99'] / results['first_page']['p99']:.2f}")


if __name__ == "__main__":
    main()
