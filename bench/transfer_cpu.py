"""CPU per p2p transfer, in-process and one thread: `python bench/transfer_cpu.py [--transfers 400]`.

PostgreSQL only (``DATABASE_URL``). Migrates a throwaway database (``BENCH_CPU_DB``, default
``causeway_bench_cpu``), seeds one partner with a sandbox key and funded wallets, then sends ``--transfers`` p2p
``POST /v1/transfers`` through Django's test client (authentication, idempotency, limits, ledger, events, request
log: the whole request path) and reports, per transfer, the CPU of this process (the Python side), the CPU of its
PostgreSQL backend (read from /proc), the statements sent, and how long the wallets stay locked (``hold_*``: from
the lock statement's answer to the end of COMMIT; what bounds two hot wallets, as no other transfer of theirs can
run meanwhile) with the statements sent while they are (``under_lock``). Spread: random pairs among the wallets;
hot: the two hot wallets back and forth. ``BENCH_ROOT`` runs another checkout's code with this script (to compare
two versions in alternating rounds in one sitting). Prints one JSON line. Nothing here is a test assertion.
"""

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def _database(url: str, name: str) -> str:
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base + "/" + name


def _backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class LockClock:
    """Times each transaction from the wallet lock's answer to the end of its COMMIT, and counts the statements
    sent in between (an execute wrapper and a wrapped ``commit`` on the connection)."""

    def __init__(self, connection: object) -> None:
        self.locked_at: float | None = None
        self.statements = 0
        self.holds: list[float] = []
        self.under_lock: list[int] = []
        connection.execute_wrappers.append(self.wrapper)  # type: ignore[attr-defined]
        commit = connection.commit  # type: ignore[attr-defined]

        def timed_commit() -> None:
            commit()
            if self.locked_at is not None:
                self.holds.append(time.perf_counter() - self.locked_at)
                self.under_lock.append(self.statements)
                self.locked_at = None

        connection.commit = timed_commit  # type: ignore[attr-defined]

    def wrapper(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        result = execute(sql, params, many, context)
        if self.locked_at is None and "FOR NO KEY UPDATE" in sql and '"wallets_wallet"' in sql:
            self.locked_at, self.statements = time.perf_counter(), 0
        elif self.locked_at is not None:
            self.statements += 1
        return result

    def take(self) -> tuple[list[float], list[int]]:
        holds, under = self.holds, self.under_lock
        self.holds, self.under_lock = [], []
        return holds, under


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=400)
    parser.add_argument("--wallets", type=int, default=200)
    parser.add_argument("--profile", help="Write a cProfile of the measured spread transfers to this file.")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must point to PostgreSQL")
    os.environ["DATABASE_URL"] = _database(url, os.environ.get("BENCH_CPU_DB", "causeway_bench_cpu"))

    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate_all", verbosity=0)
    from apps.core import clock
    from apps.partners.services import api_key_create, partner_create
    from apps.transfers.models import LimitRule
    from apps.wallets.models import WalletHolder

    try:
        from apps.wallets.bulk import HistoryItem, history_import
    except ImportError:  # moved into the services package
        from apps.wallets.services.bulk import HistoryItem, history_import  # type: ignore[no-redef]
    from apps.wallets.ledger import CLEARING_BANK
    from apps.wallets.services import holder_create, wallet_open_inner

    partner = partner_create(name="Bench CPU")
    sandbox = partner.environments.get(kind="sandbox")
    key = api_key_create(environment=sandbox, name="bench").secret
    LimitRule.objects.update_or_create(
        kyc_tier=WalletHolder.KycTier.FULL,
        currency="USD",
        defaults={
            "per_transfer_max": 10**12,
            "daily_max": 10**15,
            "monthly_max": 10**15,
            "velocity_max_count": 10**9,
            "review_threshold": 10**12,
            "new_counterparty_review_amount": 10**12,
        },
    )
    wallets = []
    with transaction.atomic():
        for n in range(args.wallets + 2):
            holder = holder_create(
                environment="sandbox",
                partner=partner,
                name=f"Bench Holder {n}",
                email=f"bench{n}@example.com",
                kyc_tier=WalletHolder.KycTier.FULL,
            )
            wallets.append(wallet_open_inner(holder=holder, currency="USD"))
    history_import(
        items=[
            HistoryItem(
                wallet=wallet,
                booked_at=clock.now(environment=sandbox) - timedelta(minutes=1),
                amount=10**12,
                type="deposit",
                category="income",
                rail=CLEARING_BANK,
                description="Bench funding",
            )
            for wallet in wallets
        ]
    )
    ids = [wallet.public_id for wallet in wallets]
    spread, hot = ids[: args.wallets], ids[args.wallets :]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {key}")
    connection.ensure_connection()
    lock_clock = LockClock(connection)
    rng = random.Random(7)

    def send(source: str, destination: str) -> int:
        body = {"type": "p2p", "source": source, "destination": destination, "amount": 100, "currency": "USD"}
        response = client.post(
            "/v1/transfers", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
        )
        return response.status_code

    result: dict[str, object] = {"root": str(ROOT)}
    for name in ("spread", "hot"):
        pairs = [
            tuple(rng.sample(spread, 2)) if name == "spread" else tuple(hot[:: (1 if n % 2 else -1)])
            for n in range(args.transfers)
        ]
        for source, destination in pairs[:50]:  # warm-up
            assert send(source, destination) == 201
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        with CaptureQueriesContext(connection) as queries:
            send(*pairs[0])
        statements = len(queries.captured_queries)
        latencies = []
        profiler = None
        if args.profile and name == "spread":
            import cProfile

            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
        own, backend = _own_cpu(), _backend_cpu(pid)
        lock_clock.take()
        for source, destination in pairs:
            started = time.perf_counter()
            status = send(source, destination)
            latencies.append(time.perf_counter() - started)
            assert status == 201, status
        own, backend = _own_cpu() - own, _backend_cpu(pid) - backend
        holds, under_lock = lock_clock.take()
        holds.sort()
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile)
        latencies.sort()
        result[name] = {
            "python_cpu_ms": round(own * 1000 / args.transfers, 3),
            "postgres_cpu_ms": round(backend * 1000 / args.transfers, 3),
            "p50_ms": round(statistics.median(latencies) * 1000, 3),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 3),
            "statements": statements,
            "hold_p50_ms": round(statistics.median(holds) * 1000, 3),
            "hold_mean_ms": round(statistics.mean(holds) * 1000, 3),
            "under_lock": statistics.median(under_lock),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
