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
the personas plus the holders, anchored to today, with its status changes), commit included, with Django's
production password hasher (the personas' logins are hashed as the worker hashes them, not with the test
settings' fast hasher).

Besides wall-clock seconds it prints the seed's own time before the commit (``body``; the rest is the commit and
the status changes), this process's CPU seconds and, when PostgreSQL runs on this machine, its backend's CPU
seconds: on a machine shared with other work, wall time mostly measures the load, CPU time the code.
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

from django.conf import global_settings, settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def _backend_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend so far (None unless PostgreSQL runs on this machine)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="Holder counts, comma-separated.")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--signup", action="store_true", help="Time the worker's seed task after a sign-up.")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.signup:  # the worker hashes the personas' passwords with the production hasher
        settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS

    call_command("migrate_all", verbosity=0)
    from apps.partners.services import partner_create
    from apps.wallets.models import Entry
    from sandbox.seed import seed_sandbox

    # A fixed anchor in the past: the same data on every run.
    anchor = date.today().replace(day=1) - timedelta(days=1)
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}; months: {args.months}")
    print(
        f"{'holders':>8}{'seconds':>10}{'body':>8}{'py cpu':>8}{'pg cpu':>8}{'holders/s':>11}{'txns':>10}"
        f"{'txns/s':>10}{'entries':>10}{'ms/holder':>11}"
    )
    results = []
    for size in sizes:
        entries_before = Entry.objects.count()
        cpu_before, backend_before = time.process_time(), _backend_cpu()
        if args.signup:
            partner, seconds, report = _signup(size)
        else:
            partner = partner_create(name=f"Bench seed {size} {time.time_ns()}")
            started = time.perf_counter()
            report = seed_sandbox(
                partner=partner, seed=args.seed, holders=size, months=args.months, anchor=anchor, personas=False
            )
            seconds = time.perf_counter() - started
        python_cpu, backend_after = time.process_time() - cpu_before, _backend_cpu()
        backend_cpu = None if backend_before is None or backend_after is None else backend_after - backend_before
        entries = Entry.objects.count() - entries_before
        row = {
            "holders": size,
            "seconds": round(seconds, 2),
            "body_seconds": round(report.seconds, 2),
            "python_cpu_seconds": round(python_cpu, 2),
            "postgresql_cpu_seconds": None if backend_cpu is None else round(backend_cpu, 2),
            "holders_per_second": round(size / seconds, 1),
            "transactions": report.transactions,
            "transactions_per_second": round(report.transactions / seconds),
            "entries": entries,
            "ms_per_holder": round(seconds / size * 1e3, 2),
        }
        results.append(row)
        pg = "-" if backend_cpu is None else f"{backend_cpu:.1f}"
        print(
            f"{size:>8}{seconds:>10.2f}{report.seconds:>8.1f}{python_cpu:>8.1f}{pg:>8}{row['holders_per_second']:>11}"
            f"{report.transactions:>10}{row['transactions_per_second']:>10}{entries:>10}{row['ms_per_holder']:>11}"
        )
    if len(results) > 1:
        small, large = results[0], results[-1]
        ratio = large["ms_per_holder"] / small["ms_per_holder"]
        print(f"scaling ratio (time per holder, {large['holders']} vs {small['holders']}): {ratio:.2f}")
    print(f"load average (1, 5, 15 min) at the end: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
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
