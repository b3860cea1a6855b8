"""Limits as a holder's history grows: `python bench/limits.py [--history 100000] [--rounds 5] [--transfers 200]`.

PostgreSQL only (``DATABASE_URL``; the database named there is not touched). Migrates a throwaway database
(``BENCH_LIMITS_DB``, default ``causeway_bench_limits``; dropped at the end unless ``--keep``), makes two KYC-full
sandbox holders with funded USD wallets and the full/USD limits raised far above the load (the check still runs in
full, it just never refuses): a busy one with ``--history`` counted p2p transfers spread over the 30-day window
(bulk-inserted rows; their usage buckets filled by ``apps.transfers.usage.usage_rebuild``, as the data migration
does) and a fresh one with none. Then ``VACUUM ANALYZE``, and alternating rounds: each round sends
``--transfers`` p2p ``POST /v1/transfers`` from one holder, then as many from the other (which goes first
alternates), in-process through Django's test client (the whole request path: authentication, idempotency,
limits, ledger, events, request log). Prints p50 and p99 per holder over all rounds, the ratios busy/fresh,
the same for ``limits_check`` called on its own (``--checks`` per holder, under no lock), and one JSON line.

``BENCH_ROOT`` runs another checkout's code with this script, e.g. the code before usage buckets:
``git worktree add --detach /tmp/limits-base <commit>`` then ``BENCH_ROOT=/tmp/limits-base``. Nothing here is a
test assertion.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
MONTH_SECONDS = 30 * 86_400


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(statement)


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p99_ms": round(ordered[max(int(len(ordered) * 0.99) - 1, 0)] * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=100_000, help="counted transfers of the busy holder")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--transfers", type=int, default=200, help="per holder and round")
    parser.add_argument("--checks", type=int, default=500, help="limits_check calls per holder")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must point to PostgreSQL")
    name = os.environ.get("BENCH_LIMITS_DB", "causeway_bench_limits")
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(url, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    try:
        result = _run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(json.dumps(result))


def _run(args: argparse.Namespace) -> dict[str, object]:
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    call_command("migrate_all", verbosity=0)
    from apps.core import clock
    from apps.partners.services import api_key_create, partner_create
    from apps.transfers.limits import limits_cache_clear, limits_check
    from apps.transfers.models import LimitRule, Transfer
    from apps.wallets.bulk import history_import
    from apps.wallets.ledger import CLEARING_BANK
    from apps.wallets.models import WalletHolder
    from apps.wallets.services import holder_create, wallet_open_inner
    from apps.wallets.validators import HistoryItem

    partner = partner_create(name="Bench limits")
    sandbox = partner.environments.get(kind="sandbox")
    key = api_key_create(environment=sandbox, name="bench").secret
    big = 10**15
    LimitRule.objects.update_or_create(
        kyc_tier=WalletHolder.KycTier.FULL,
        currency="USD",
        defaults={
            "per_transfer_max": big,
            "daily_max": big,
            "monthly_max": big,
            "velocity_max_count": 10**9,
            "review_threshold": big,
            "new_counterparty_review_amount": big,
        },
    )
    limits_cache_clear()
    wallets = {}
    with transaction.atomic():
        for role in ("busy", "fresh", "payee"):
            holder = holder_create(
                environment="sandbox",
                partner=partner,
                name=f"Bench {role}",
                email=f"{role}@example.com",
                kyc_tier=WalletHolder.KycTier.FULL,
            )
            wallets[role] = wallet_open_inner(holder=holder, currency="USD")
    now = clock.now(environment=sandbox)
    history_import(
        items=[
            HistoryItem(
                wallet=wallets[role],
                booked_at=now - timedelta(days=31),
                amount=10**12,
                type="deposit",
                category="income",
                rail=CLEARING_BANK,
                description="Bench funding",
            )
            for role in ("busy", "fresh")
        ]
    )
    busy, fresh, payee = wallets["busy"], wallets["fresh"], wallets["payee"]
    # The busy holder's history: counted p2p rows spread over the window (no journals: only limits read them).
    started = time.perf_counter()
    rng = random.Random(11)
    for offset in range(0, args.history, 5000):
        Transfer.objects.bulk_create(
            [
                Transfer(
                    partner=partner,
                    environment=sandbox,
                    type=Transfer.Type.P2P,
                    status=Transfer.Status.SUCCEEDED,
                    holder=busy.holder,
                    source_wallet=busy,
                    destination_wallet=payee,
                    amount=100,
                    currency="USD",
                    initiated_at=now - timedelta(seconds=rng.uniform(60, MONTH_SECONDS - 3600)),
                )
                for _ in range(min(5000, args.history - offset))
            ]
        )
    try:
        from apps.transfers.usage import usage_rebuild
    except ImportError:  # the code before usage buckets: the limits sum the transfers themselves
        buckets = None
    else:
        buckets = usage_rebuild(holder_ids=[busy.holder_id])
    seeded = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {key}")

    def send(source: str) -> float:
        body = {"type": "p2p", "source": source, "destination": payee.public_id, "amount": 100, "currency": "USD"}
        begun = time.perf_counter()
        response = client.post(
            "/v1/transfers", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
        )
        elapsed = time.perf_counter() - begun
        assert response.status_code == 201, response.content
        return elapsed

    sources = {"busy": busy.public_id, "fresh": fresh.public_id}
    for role in ("busy", "fresh"):  # warm-up
        for _ in range(30):
            send(sources[role])
    latencies: dict[str, list[float]] = {"busy": [], "fresh": []}
    for round_number in range(args.rounds):
        order = ("busy", "fresh") if round_number % 2 == 0 else ("fresh", "busy")
        for role in order:
            latencies[role] += [send(sources[role]) for _ in range(args.transfers)]
    checks: dict[str, list[float]] = {"busy": [], "fresh": []}
    holders = {"busy": busy.holder, "fresh": fresh.holder}
    for round_number in range(args.rounds):
        order = ("busy", "fresh") if round_number % 2 == 0 else ("fresh", "busy")
        for role in order:
            for _ in range(max(args.checks // args.rounds, 1)):
                begun = time.perf_counter()
                limits_check(holder=holders[role], currency="USD", amount=100, now=clock.now(environment=sandbox))
                checks[role].append(time.perf_counter() - begun)
    result: dict[str, object] = {
        "root": str(ROOT),
        "history": args.history,
        "buckets": buckets,
        "seed_s": round(seeded, 1),
        "transfers_per_holder": len(latencies["busy"]),
    }
    for label, samples in (("transfer", latencies), ("check", checks)):
        measured = {role: _percentiles(samples[role]) for role in ("busy", "fresh")}
        result[label] = {
            **measured,
            "ratio_p50": round(measured["busy"]["p50_ms"] / measured["fresh"]["p50_ms"], 3),
            "ratio_p99": round(measured["busy"]["p99_ms"] / measured["fresh"]["p99_ms"], 3),
        }
    print(f"code: {ROOT}  busy holder: {args.history} counted transfers in 30 days, usage buckets: {buckets}")
    for label, title in (("transfer", "POST /v1/transfers"), ("check", "limits_check alone")):
        row = result[label]
        assert isinstance(row, dict)
        print(
            f"{title:>20}: busy p50 {row['busy']['p50_ms']} ms p99 {row['busy']['p99_ms']} ms | fresh p50 "
            f"{row['fresh']['p50_ms']} ms p99 {row['fresh']['p99_ms']} ms | busy/fresh p50 {row['ratio_p50']} "
            f"p99 {row['ratio_p99']}"
        )
    return result


if __name__ == "__main__":
    main()
