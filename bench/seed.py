"""Sandbox seeding throughput: `python bench/seed.py [--sizes 100,1000] [--months 12]`.

Seeds a fresh partner per size with `sandbox.seed.seed_sandbox` (12 months of history by default, the personas
off) on whatever database `DATABASE_URL` points to, and prints seconds, holders per second and transactions
per second for each size, plus the scaling ratio: time per holder at the largest size over time per holder at
the smallest (1.0 = linear; above 1 = each holder costs more as the sandbox grows). With `DATABASE_URL` unset
it uses the embedded default (SQLite) in a throwaway folder. On PostgreSQL use a throwaway database: the
benchmark migrates it and leaves its partners behind. Each size is timed with a cold start of the Python side
(a fresh partner) but a warm database. The seed is committed, so PostgreSQL's deferred balance trigger (one
check per entry at commit) is inside the timing. Nothing here is a test assertion.

`--signup` times what sign-up costs instead: a partner made as sign-up makes it (``partner_create(seed=True)``,
this process standing in for the worker) and the worker's seed task body (``sandbox.lifecycle.sandbox_seed_run``:
the personas plus the holders, anchored to today, with its status changes), commit included.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["CAUSEWAY_VAR_DIR"] = tempfile.mkdtemp(prefix="causeway-bench-")
    for name in ("CACHE_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="Holder counts, comma-separated.")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--signup", action="store_true", help="Time the worker's seed task after a sign-up.")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    call_command("migrate_all", verbosity=0)
    from apps.partners.services import partner_create
    from apps.wallets.models import Entry
    from sandbox.seed import seed_sandbox

    # A fixed anchor in the past: the same data on every run.
    anchor = date.today().replace(day=1) - timedelta(days=1)
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}; months: {args.months}")
    print(f"{'holders':>8}{'seconds':>10}{'holders/s':>11}{'txns':>10}{'txns/s':>10}{'entries':>10}{'ms/holder':>11}")
    results = []
    for size in sizes:
        entries_before = Entry.objects.count()
        if args.signup:
            partner, seconds, report = _signup(size)
        else:
            partner = partner_create(name=f"Bench seed {size} {time.time_ns()}")
            started = time.perf_counter()
            report = seed_sandbox(
                partner=partner, seed=args.seed, holders=size, months=args.months, anchor=anchor, personas=False
            )
            seconds = time.perf_counter() - started
        entries = Entry.objects.count() - entries_before
        row = {
            "holders": size,
            "seconds": round(seconds, 2),
            "holders_per_second": round(size / seconds, 1),
            "transactions": report.transactions,
            "transactions_per_second": round(report.transactions / seconds),
            "entries": entries,
            "ms_per_holder": round(seconds / size * 1e3, 2),
        }
        results.append(row)
        print(
            f"{size:>8}{seconds:>10.2f}{row['holders_per_second']:>11}{report.transactions:>10}"
            f"{row['transactions_per_second']:>10}{entries:>10}{row['ms_per_holder']:>11}"
        )
    if len(results) > 1:
        small, large = results[0], results[-1]
        ratio = large["ms_per_holder"] / small["ms_per_holder"]
        print(f"scaling ratio (time per holder, {large['holders']} vs {small['holders']}): {ratio:.2f}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "seed.json").write_text(json.dumps({"vendor": connection.vendor, "results": results}, indent=2))


def _signup(size: int):
    from unittest import mock

    from apps.partners.services import partner_create, sandbox_seed_request
    from sandbox.lifecycle import sandbox_seed_run

    with mock.patch("apps.partners.services.sandbox.enqueue"):  # this process is the worker
        partner = partner_create(name=f"Bench sign-up {size} {time.time_ns()}")
        sandbox_seed_request(environment=partner.environments.get(kind="sandbox"), holders=size)
    started = time.perf_counter()
    report = sandbox_seed_run(environment_id=partner.environments.get(kind="sandbox").public_id)
    return partner, time.perf_counter() - started, report


if __name__ == "__main__":
    main()
