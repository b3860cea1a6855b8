"""p2p ``POST /v1/transfers`` throughput behind gunicorn, as a ratio to pgbench: `python bench/transfers.py`.

PostgreSQL only (``DATABASE_URL=postgres://...``; SQLite is refused), with Redis on 127.0.0.1:6379 (database 5
for the cache, 6 for the Celery broker, or ``BENCH_CACHE_URL`` / ``BENCH_BROKER_URL``; both are flushed) and
``wrk`` and ``pgbench`` on the PATH. In one run, on the server
``DATABASE_URL`` points to:

1. pgbench's built-in TPC-B-like script (itself a transfer between accounts) in a throwaway database
   (``BENCH_PGBENCH_DB``, default ``causeway_bench_pgbench``) at ``--clients`` clients for ``--duration``
   seconds, twice: as it ships (scale 1, simple protocol), the yardstick the targets divide by, and with
   ``-s 16 -M prepared`` (pgbench at its fastest), shown beside it.
2. A throwaway Causeway database (``BENCH_TRANSFERS_DB``, default ``causeway_bench_transfers``), migrated with
   ``manage.py migrate_all`` and seeded in a subprocess (this process never imports Django): one partner with a
   sandbox key, ``--wallets`` funded USD wallets of KYC-full holders plus two hot ones, and the full/USD limit
   rule raised so the load never trips it (limits stay on).
3. gunicorn (``--workers``/``--threads``) with every feature on as deployed: DEBUG off, secret-key auth through
   the Redis key cache, idempotency, limits, ledger, outbox events, request logs through the background writer.
4. wrk (``bench/transfers.lua``) at ``--clients`` connections: (a) "spread", random pairs among the wallets, and
   (b) "hot", every transfer between the two hot wallets (alternating direction). Each run is a ``--warmup``
   that is not measured, then ``--duration`` seconds measured: transfers/s, p50/p99 latency, statuses, and the
   CPU used by each side (a run disturbed by other processes on the machine is flagged ``NOISY``).
5. After each run the money-conservation check: the per-currency sums of wallet balances are unchanged, no
   wallet is below zero, ``manage.py reconcile_ledger --json`` reports ok, and the succeeded p2p transfers
   added equal the 201s seen (plus any request whose answer the client never read because the run stopped
   while it was in flight, found by its key).
6. The SQL statements on the request path of one transfer of each kind (in-process test client).
7. The scale reference: ``bench/bare_transfer.py`` (a bare DRF endpoint: two locked updates and one insert)
   behind the same gunicorn, under the same spread load, in its own throwaway database.

``--profile`` samples one worker with py-spy during the measured runs; ``--stand-in`` loads ``GET /v1/partner``
instead of transfers (a check of the harness). ``--rounds N`` measures pgbench, (a) and (b) again in turn N - 1
more times in the same server (the machine's speed can drift within minutes, so each ratio is taken between runs
minutes apart) and judges the targets on the median ratios. Prints a table, writes ``bench/results/transfers.json``
and drops the database unless ``--keep``. Targets: (a) at least 0.15 of pgbench's tps, (b) at least 0.8 of (a).
Nothing here is a test assertion.
"""

import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "transfers.lua"
RESULTS = ROOT / "bench" / "results" / "transfers.json"
PROFILES = ROOT / "bench" / "results"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
# Flushed before each run: BENCH_CACHE_URL / BENCH_BROKER_URL move them where a shared Redis has room.
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/5")
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/6")
# pgbench as it ships (scale 1, the simple query protocol) is the targets' denominator; the second run, scaled
# to the clients and with prepared statements (pgbench's fastest), is shown beside it.
PGBENCH_RUNS = {"defaults": {"scale": 1, "prepared": False}, "scaled": {"scale": 16, "prepared": True}}
BARE_ACCOUNTS = 1000
BARE_SCHEMA = (  # bench/bare_transfer.py's tables
    "CREATE TABLE acct (id integer PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0))",
    "CREATE TABLE xfer (id bigserial PRIMARY KEY, src integer NOT NULL, dst integer NOT NULL, amount bigint NOT NULL, "
    "at timestamptz NOT NULL)",
)
TARGET_SPREAD = 0.15  # (a) / pgbench
TARGET_HOT = 0.8  # (b) / (a)
AMOUNT = 100
# CPU (in cores) used by anything but the server, PostgreSQL for the bench, Redis and the load generator above
# which a run is flagged as disturbed (the machine may be shared).
NOISE_CORES = 0.25
FUNDING = {"spread": 10_000_000, "hot": 10_000_000_000}
# Far above anything the load reaches, so limits are checked on every transfer but never refuse or hold one.
RAISED_LIMITS = {
    "per_transfer_max": 10**12,
    "daily_max": 10**15,
    "monthly_max": 10**15,
    "review_threshold": 10**12,
    "new_counterparty_review_amount": 10**12,
    "velocity_max_count": 10**9,
    "velocity_window_seconds": 3600,
}
# Chosen by measuring on 2 cores (bench/README.md): four processes of two threads each keep both cores busy while
# requests wait on PostgreSQL, with less waiting for the GIL than fewer processes with more threads.
DEFAULT_WORKERS = 4
DEFAULT_THREADS = 2


# --- Django side: run in subprocesses (``--phase``) -----------------------------------------------------------
def _django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def phase_seed(args: argparse.Namespace) -> None:
    """Partner, key, raised limits, ``--wallets`` + 2 funded wallets; prints the JSON the harness needs."""
    _django()
    from datetime import timedelta

    from django.db import transaction

    from apps.core import clock
    from apps.partners.services import api_key_create, partner_create
    from apps.transfers.models import LimitRule
    from apps.wallets.bulk import history_import
    from apps.wallets.ledger import CLEARING_BANK
    from apps.wallets.models import WalletHolder
    from apps.wallets.services import holder_create, wallet_open_inner
    from apps.wallets.validators import HistoryItem

    partner = partner_create(name="Bench transfers")
    sandbox = partner.environments.get(kind="sandbox")
    key = api_key_create(environment=sandbox, name="bench").secret
    LimitRule.objects.update_or_create(kyc_tier=WalletHolder.KycTier.FULL, currency="USD", defaults=RAISED_LIMITS)
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
    booked_at = clock.now(environment=sandbox) - timedelta(minutes=1)
    history_import(
        items=[
            HistoryItem(
                wallet=wallet,
                booked_at=booked_at,
                amount=FUNDING["hot" if n >= args.wallets else "spread"],
                type="deposit",
                category="income",
                rail=CLEARING_BANK,
                description="Bench funding",
            )
            for n, wallet in enumerate(wallets)
        ]
    )
    ids = [wallet.public_id for wallet in wallets]
    print(json.dumps({"key": key, "spread": ids[: args.wallets], "hot": ids[args.wallets :]}))


def phase_state(args: argparse.Namespace) -> None:
    """Balances per currency, wallets below zero, p2p transfers per status and, for ``--keys`` (a JSON file of
    idempotency keys whose answer the client never read), how many of those succeeded."""
    _django()
    from django.db.models import Count, Q, Sum

    from apps.transfers.models import Transfer
    from apps.wallets.models import Wallet

    balances = {
        currency: {"ledger": ledger, "available": available}
        for currency, ledger, available in Wallet.objects.values_list("currency")
        .annotate(ledger=Sum("ledger_balance"), available=Sum("available_balance"))
        .values_list("currency", "ledger", "available")
        .order_by("currency")
    }
    negative = Wallet.objects.filter(Q(ledger_balance__lt=0) | Q(available_balance__lt=0)).count()
    statuses = dict(
        Transfer.objects.filter(type=Transfer.Type.P2P)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
        .order_by("status")
    )
    unseen = 0
    if args.keys:
        keys = json.loads(Path(args.keys).read_text())
        unseen = Transfer.objects.filter(
            description__in=[f"bench {key}" for key in keys], status=Transfer.Status.SUCCEEDED
        ).count()
    print(json.dumps({"balances": balances, "negative_wallets": negative, "transfers": statuses, "unseen": unseen}))


def phase_queries(args: argparse.Namespace) -> None:
    """SQL statements on the request path of one transfer of each kind (the second of two: warm caches),
    through the in-process test client against the bench database, with its time and the time spent in them."""
    _django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    seed = json.loads(Path(args.seed).read_text())
    client = Client(HTTP_HOST="127.0.0.1")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {seed['key']}"}
    out: dict[str, Any] = {}
    pairs = {"spread": seed["spread"][:4], "hot": seed["hot"] * 2}
    for name, wallets in pairs.items():
        for n in range(2):
            body = {
                "type": "p2p",
                "source": wallets[2 * n],
                "destination": wallets[2 * n + 1],
                "amount": AMOUNT,
                "currency": "USD",
                "description": f"bench queries-{name}-{n}",
            }
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.post(
                    "/v1/transfers",
                    body,
                    content_type="application/json",
                    HTTP_IDEMPOTENCY_KEY=f"queries-{name}-{n}",
                    **auth,
                )
            elapsed = time.perf_counter() - started
        out[name] = {
            "status": response.status_code,
            "queries": len(captured.captured_queries),
            "ms": round(elapsed * 1e3, 1),
            "sql_ms": round(sum(float(query["time"]) for query in captured.captured_queries) * 1e3, 1),
            "sql": [query["sql"][:200] for query in captured.captured_queries],
        }
    print(json.dumps(out))


PHASES = {"seed": phase_seed, "state": phase_state, "queries": phase_queries}


# --- The harness: no Django in this process -------------------------------------------------------------------
class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        url = os.environ.get("DATABASE_URL", "")
        self.server = urlsplit(url)
        if self.server.scheme not in ("postgres", "postgresql", "pgsql"):
            sys.exit(
                "bench/transfers.py measures PostgreSQL only: set DATABASE_URL=postgres://user@host:port/db (the "
                "database named there is not touched; throwaway ones are created next to it). "
                f"Got {self.server.scheme or 'nothing'!r}."
            )
        self.db = self._name("BENCH_TRANSFERS_DB", "causeway_bench_transfers")
        self.pgbench_db = self._name("BENCH_PGBENCH_DB", "causeway_bench_pgbench")
        self.db_url = urlunsplit(self.server._replace(path=f"/{self.db}"))
        self.tmp = Path(tempfile.mkdtemp(prefix="causeway-bench-transfers-"))
        self.gunicorn: subprocess.Popen | None = None
        self.port = 0
        for tool, package in (("wrk", "wrk"), ("pgbench", "postgresql")):
            if shutil.which(tool) is None:
                sys.exit(f"bench/transfers.py needs {tool}: apt-get install -y {package}")

    @staticmethod
    def _name(variable: str, default: str) -> str:
        name = os.environ.get(variable, default)
        if not name.replace("_", "").isalnum():
            sys.exit(f"{variable} must be a plain identifier, got {name!r}.")
        return name

    # PostgreSQL and Redis administration
    def conninfo(self, db: str) -> str:
        return urlunsplit(self.server._replace(scheme="postgresql", path=f"/{db}"))

    def sql(self, statement: str, db: str = "postgres") -> list[tuple]:
        import psycopg

        with psycopg.connect(self.conninfo(db), autocommit=True) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def recreate(self, db: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        self.sql(f'CREATE DATABASE "{db}"')

    @staticmethod
    def flush_redis() -> None:
        import redis

        for url in (CACHE_URL, BROKER_URL):
            redis.Redis.from_url(url).flushdb()

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.db_url,
            CACHE_URL=CACHE_URL,
            CELERY_BROKER_URL=BROKER_URL,
            # The dev settings read DEBUG and REQUEST_LOG_WRITER from the environment (the test settings pin the
            # writer to "sync"): DEBUG off and the background writer are what a deployment runs.
            DJANGO_SETTINGS_MODULE="config.settings.dev",
            DEBUG="false",
            REQUEST_LOG_WRITER="thread",
            # One sandbox key makes every request: the rate limiter counts each one (its cost is measured) but
            # the limit is out of reach.
            RATE_LIMIT_SANDBOX_WRITE="1000000000",
            RATE_LIMIT_SANDBOX_READ="1000000000",
            CAUSEWAY_VAR_DIR=str(self.tmp / "var"),
        )
        return env

    def phase(self, name: str, *extra: str) -> dict[str, Any]:
        command = [sys.executable, str(Path(__file__).resolve()), "--phase", name, "--wallets", str(self.args.wallets)]
        done = subprocess.run([*command, *extra], cwd=ROOT, env=self.env(), capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"phase {name} failed:\n{done.stderr[-4000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def manage(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=self.env(), capture_output=True, text=True
        )
        if check and done.returncode != 0:
            sys.exit(f"manage.py {' '.join(command)} failed:\n{done.stderr[-4000:]}")
        return done

    # pgbench
    def pgbench(self, name: str) -> dict[str, Any]:
        args = self.args
        scale, prepared = PGBENCH_RUNS[name]["scale"], PGBENCH_RUNS[name]["prepared"]
        self.recreate(self.pgbench_db)
        connection = ["-h", self.server.hostname or "127.0.0.1", "-p", str(self.server.port or 5432)]
        if self.server.username:
            connection += ["-U", unquote(self.server.username)]
        env = dict(os.environ)
        if self.server.password:
            env["PGPASSWORD"] = unquote(self.server.password)
        try:
            subprocess.run(
                ["pgbench", "-i", "-q", "-s", str(scale), *connection, self.pgbench_db],
                env=env,
                check=True,
                capture_output=True,
            )
            self.sql("CHECKPOINT")
            command = ["pgbench", "-c", str(args.clients), "-j", "2", "-T", str(args.duration)]
            command += ["-M", "prepared"] if prepared else []
            cpu = CpuMeter([], self.pgbench_db)
            done = subprocess.run(
                [*command, *connection, self.pgbench_db], env=env, check=True, capture_output=True, text=True
            )
            cpu_cores = cpu.stop()
        finally:
            self.sql(f'DROP DATABASE IF EXISTS "{self.pgbench_db}" WITH (FORCE)')
        match = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", done.stdout)
        latency = re.search(r"latency average = ([0-9.]+) ms", done.stdout)
        if match is None:
            sys.exit(f"cannot read pgbench's tps from:\n{done.stdout}")
        return {
            "tps": float(match.group(1)),
            "latency_avg_ms": float(latency.group(1)) if latency else None,
            "scale": scale,
            "protocol": "prepared" if prepared else "simple",
            "clients": args.clients,
            "duration_s": args.duration,
            "cpu_cores": cpu_cores,
            "server_cpu_ms": _server_cpu_ms(cpu_cores, float(match.group(1)), ("postgres",)),
        }

    # gunicorn
    def start_server(self, app: str = "config.wsgi", env: dict[str, str] | None = None) -> None:
        """gunicorn serving ``app`` (the platform, or bench/bare_transfer.py), up once ``/health/`` answers 200."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        args = self.args
        command = [
            str(GUNICORN),
            app,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(args.workers),
            "--no-control-socket",
        ]
        if args.threads > 1:
            command += ["--worker-class", "gthread", "--threads", str(args.threads)]
        self.log = (self.tmp / "gunicorn.log").open("w")
        self.gunicorn = subprocess.Popen(command, cwd=ROOT, env=env or self.env(), stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.gunicorn.poll() is not None:
                sys.exit(f"gunicorn exited with {self.gunicorn.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/health/", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        sys.exit(f"gunicorn did not answer /health/ within 60 s:\n{self.log_tail()}")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self) -> str:
        self.log.flush()
        return (self.tmp / "gunicorn.log").read_text()[-4000:]

    def stop_server(self) -> None:
        if self.gunicorn is None or self.gunicorn.poll() is not None:
            return
        self.gunicorn.send_signal(signal.SIGTERM)
        try:
            self.gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.gunicorn.kill()
            self.gunicorn.wait()

    def server_pids(self) -> list[int]:
        assert self.gunicorn is not None
        pid = self.gunicorn.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [pid, *map(int, children)]

    def post_transfer(self, key: str, source: str, destination: str, idempotency_key: str) -> tuple[int, bytes]:
        body = {
            "type": "p2p",
            "source": source,
            "destination": destination,
            "amount": AMOUNT,
            "currency": "USD",
            "description": f"bench {idempotency_key}",
        }
        request = urllib.request.Request(
            f"{self.base}/v1/transfers",
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {key}",
                "Idempotency-Key": idempotency_key,
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def wait_idle(self) -> None:
        """Until no session on the bench database runs a statement: requests the client gave up on at the end
        of a run may still be committing."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            busy = self.sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')",
                self.db,
            )[0][0]
            if not busy:
                return
            time.sleep(0.2)

    def profiler(self, mode: str) -> subprocess.Popen:
        """py-spy on the first worker for the measured run, sampling only the thread holding the GIL: where the
        process spends its Python CPU (threads waiting on PostgreSQL or Redis have released it)."""
        py_spy = shutil.which("py-spy") or str(ROOT / ".venv" / "bin" / "py-spy")
        if not Path(py_spy).exists():
            sys.exit("--profile needs py-spy: .venv/bin/pip install py-spy")
        PROFILES.mkdir(parents=True, exist_ok=True)
        worker = self.server_pids()[1]
        command = [py_spy, "record", "--pid", str(worker), "--duration", str(self.args.duration), "--rate", "100"]
        command += ["--gil", "--nonblocking", "--format", "raw", "--output", str(PROFILES / f"transfers-{mode}.txt")]
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    # wrk
    def wrk(self, mode: str, wallets: Path, key: str, tag: str, seconds: int) -> dict[str, Any]:
        clients = self.args.clients
        command = [
            "wrk",
            f"-t{clients}",
            f"-c{clients}",  # one connection per thread: see bench/transfers.lua
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(LUA),
            self.base,
            "--",
            mode,
            str(wallets),
            key,
            tag,
            str(AMOUNT),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_RESULT ")), None)
        if done.returncode != 0 or line is None:
            sys.exit(f"wrk failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        raw = json.loads(line.removeprefix("BENCH_RESULT "))
        statuses: dict[str, int] = {}
        unanswered: list[str] = []
        samples: list[str] = []
        succeeded_bodies = 0
        for thread in raw["threads"]:
            for code, count in (thread["statuses"] or {}).items():
                statuses[code] = statuses.get(code, 0) + count
            unanswered += thread["unanswered"] or []
            samples += thread["samples"] or []
            succeeded_bodies += thread["succeeded_bodies"]
        seconds_run = raw["duration_us"] / 1e6
        latency = raw["latency_us"]
        return {
            "seconds": seconds_run,
            "responses": sum(statuses.values()),
            "statuses": dict(sorted(statuses.items())),
            "succeeded_bodies": succeeded_bodies,
            "unanswered": unanswered,
            "socket_errors": raw["errors"],
            "samples": samples[:5],
            "p50_ms": latency["p50"] / 1e3,
            "p90_ms": latency["p90"] / 1e3,
            "p99_ms": latency["p99"] / 1e3,
            "max_ms": latency["max"] / 1e3,
            "mean_ms": latency["mean"] / 1e3,
        }

    def scenario(self, mode: str, wallets: list[str], key: str, expected: int, round_: int = 1) -> dict[str, Any]:
        args = self.args
        wallet_file = self.tmp / f"wallets-{mode}.txt"
        wallet_file.write_text("\n".join(wallets) + "\n")
        before = self.phase("state")
        self.sql("CHECKPOINT")
        # The tag starts every Idempotency-Key of the run: a later round's must differ, or its requests would
        # replay (or be refused as reusing) the first round's keys.
        tag = mode if round_ == 1 else f"{mode}-r{round_}"
        warmup = self.wrk(mode, wallet_file, key, f"{tag}-warmup", args.warmup) if args.warmup else None
        # The tables the load fills (transfers, their history, events, idempotency keys) were empty when the seed
        # was analysed, and a plan made for an empty table scans it whole: by the end of a run every idempotency
        # completion and foreign-key check read ~70 pages. A live database gets fresh statistics from autovacuum
        # after its first 50 rows; a 25 s run ends before autovacuum's first round, so analyse here, after the
        # warm-up, as it would have (cached plans are made again on their next use).
        self.sql("ANALYZE", self.db)
        profiler = self.profiler(mode) if args.profile else None
        cpu = CpuMeter(self.server_pids(), self.db)
        run = self.wrk(mode, wallet_file, key, tag, args.duration)
        run["cpu_cores"] = cpu.stop()
        if profiler is not None:
            profiler.wait(timeout=60)
            run["profile"] = profile_summary(PROFILES / f"transfers-{mode}.txt")
        self.wait_idle()
        run["rps"] = run["responses"] / run["seconds"]
        ok = str(expected)
        run["ok_per_s"] = run["statuses"].get(ok, 0) / run["seconds"]
        run["server_cpu_ms"] = _server_cpu_ms(run["cpu_cores"], run["ok_per_s"], ("gunicorn", "postgres", "redis"))
        if mode == "partner":
            return {"run": run, "warmup": warmup}

        # Money conservation, over the warm-up and the measured run together (both moved money).
        runs = [r for r in (warmup, run) if r is not None]
        unanswered = [k for r in runs for k in r["unanswered"]]
        keys_file = self.tmp / f"unanswered-{mode}.json"
        keys_file.write_text(json.dumps(unanswered))
        after = self.phase("state", "--keys", str(keys_file))
        reconcile = self.manage("reconcile_ledger", "--json", check=False)
        try:
            report = json.loads(reconcile.stdout)
        except json.JSONDecodeError:
            report = {"ok": False, "error": reconcile.stderr[-2000:]}
        seen_201 = sum(r["statuses"].get("201", 0) for r in runs)
        added = {
            status: after["transfers"].get(status, 0) - before["transfers"].get(status, 0)
            for status in sorted(set(after["transfers"]) | set(before["transfers"]))
        }
        checks = {
            "balances_unchanged": after["balances"] == before["balances"],
            "no_negative_wallet": after["negative_wallets"] == 0,
            "ledger_reconciles": bool(report.get("ok")) and reconcile.returncode == 0,
            "succeeded_equals_201s": added.get("succeeded", 0) == seen_201 + after["unseen"],
            "every_201_succeeded": sum(r["succeeded_bodies"] for r in runs) == seen_201,
        }
        conservation = {
            "pass": all(checks.values()),
            "checks": checks,
            "balances_before": before["balances"],
            "balances_after": after["balances"],
            "transfers_added": added,
            "responses_201": seen_201,
            "unanswered_requests": len(unanswered),
            "unanswered_succeeded": after["unseen"],
            "reconcile": {k: report.get(k) for k in ("ok", "wallets_checked", "mismatch_count", "error")},
        }
        return {"run": run, "warmup": warmup, "conservation": conservation}

    def bare(self) -> dict[str, Any]:
        """The scale reference (bench/bare_transfer.py): the same load on a bare DRF transfer endpoint, behind the
        same gunicorn, with its own throwaway database; money is checked too (sum unchanged, one row per 201)."""
        args = self.args
        db = self._name("BENCH_BARE_DB", "causeway_bench_bare")
        self.recreate(db)
        for statement in BARE_SCHEMA:
            self.sql(statement, db)
        self.sql(f"INSERT INTO acct SELECT n, {FUNDING['spread']} FROM generate_series(1, {BARE_ACCOUNTS}) n", db)
        self.sql("VACUUM ANALYZE", db)
        env = dict(os.environ, BARE_DATABASE_URL=urlunsplit(self.server._replace(path=f"/{db}")))
        wallet_file = self.tmp / "accounts-bare.txt"
        wallet_file.write_text("\n".join(str(n) for n in range(1, BARE_ACCOUNTS + 1)) + "\n")
        try:
            self.start_server("bench.bare_transfer:application", env)
            if args.warmup:
                self.wrk("spread", wallet_file, "none", "bare-warmup", args.warmup)
            cpu = CpuMeter(self.server_pids(), db)
            run = self.wrk("spread", wallet_file, "none", "bare", args.duration)
            run["cpu_cores"] = cpu.stop()
            self.stop_server()
            run["ok_per_s"] = run["statuses"].get("201", 0) / run["seconds"]
            run["server_cpu_ms"] = _server_cpu_ms(run["cpu_cores"], run["ok_per_s"], ("gunicorn", "postgres"))
            ((total, negative),) = self.sql("SELECT sum(balance), count(*) FILTER (WHERE balance < 0) FROM acct", db)
            ((rows,),) = self.sql("SELECT count(*) FROM xfer", db)
            run["money"] = {
                "pass": total == FUNDING["spread"] * BARE_ACCOUNTS and negative == 0,
                "transfers": rows,
            }
        finally:
            self.stop_server()
            self.sql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        return {"run": run}

    def main(self) -> dict[str, Any]:
        args = self.args
        config = {
            "clients": args.clients,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "wallets": args.wallets,
            "gunicorn": {"workers": args.workers, "threads": args.threads},
            "cpus": os.cpu_count(),
        }
        results: dict[str, Any] = {"config": config}
        for name, key in (("defaults", "pgbench"), ("scaled", "pgbench_scaled")):
            run = PGBENCH_RUNS[name]
            protocol = "-M prepared" if run["prepared"] else "simple protocol"
            print(f"pgbench tpcb-like, -s {run['scale']}, {protocol}, {args.clients} clients, {args.duration} s ...")
            results[key] = self.pgbench(name)
            print(f"  {results[key]['tps']:.0f} tps", flush=True)
        self.recreate(self.db)
        self.flush_redis()
        try:
            self.manage("migrate_all", "-v0")
            print(f"seeding {args.wallets:,} + 2 wallets in {self.db} ...", flush=True)
            seed = self.phase("seed")
            # As `pgbench -i` does after loading its tables: the planner gets statistics for the seeded rows
            # instead of waiting for autovacuum (without them it walks every holder of the partner per lock).
            self.sql("VACUUM ANALYZE", self.db)
            seed_file = self.tmp / "seed.json"
            seed_file.write_text(json.dumps(seed))
            self.start_server()
            workers = f"{args.workers} workers" + (f" x {args.threads} threads (gthread)" if args.threads > 1 else "")
            print(f"gunicorn: {workers} on {self.base}", flush=True)
            if args.stand_in:
                results["stand_in"] = self.scenario("partner", seed["spread"], seed["key"], 200)
                return results
            status, body = self.post_transfer(seed["key"], seed["spread"][0], seed["spread"][1], "probe-1")
            if status != 201:
                sys.exit(
                    f"POST /v1/transfers answered {status}, not 201: {body[:500]!r}\n"
                    "(--stand-in checks the harness with GET /v1/partner until the endpoint exists)"
                )
            for label, mode in (("a", "spread"), ("b", "hot")):
                print(f"({label}) {mode}: {args.warmup} s warm-up, {args.duration} s measured ...", flush=True)
                results[mode] = self.scenario(mode, seed[mode], seed["key"], 201)
            results["rounds"] = [_round(results["pgbench"], results["spread"], results["hot"])]
            for number in range(2, args.rounds + 1):
                # Each round measures the yardstick again, right before the runs it divides: on a machine whose
                # speed drifts within minutes, a ratio of runs minutes apart measures the drift too.
                print(f"round {number}: pgbench, (a), (b) ...", flush=True)
                tps = self.pgbench("defaults")
                spread = self.scenario("spread", seed["spread"], seed["key"], 201, round_=number)
                hot = self.scenario("hot", seed["hot"], seed["key"], 201, round_=number)
                results["rounds"].append(_round(tps, spread, hot))
            self.stop_server()
            results["queries_per_transfer"] = self.phase("queries", "--seed", str(seed_file))
            print("bare DRF transfer endpoint (the scale reference) ...", flush=True)
            results["bare"] = self.bare()
        finally:
            self.stop_server()
            if args.keep:
                print(f"kept database {self.db}; server log in {self.tmp / 'gunicorn.log'}")
            else:
                self.sql(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
                self.flush_redis()
        return results


class CpuMeter:
    """CPU used, in cores, between construction and ``stop()``: by the gunicorn processes, by PostgreSQL for the
    benchmark's database (its backends and the server's own processes: WAL writer, checkpointer...), by Redis, by
    the load generator (the children this process waited for) and by everything else on the machine (``other``:
    other databases' backends, other programs, the kernel). A thread samples the processes twice a second, so backends
    that exit before ``stop()`` (pgbench's) still count, up to their last half second."""

    def __init__(self, server_pids: list[int], database: str) -> None:
        self.server_pids = set(server_pids)
        self.database = f" {database} "
        self.tick = os.sysconf("SC_CLK_TCK")
        self.first: dict[int, tuple[str, int]] = {}
        self.last: dict[int, tuple[str, int]] = {}
        self.started = (time.monotonic(), self._busy(), self._children())
        self._sample(self.first)
        self.last.update(self.first)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping.wait(0.5):
            self._sample(self.last)

    @staticmethod
    def _busy() -> int:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        return sum(map(int, fields)) - int(fields[3]) - int(fields[4])  # all but idle and iowait

    @staticmethod
    def _children() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def _kind(self, pid: int, comm: str) -> str | None:
        if pid in self.server_pids:
            return "gunicorn"
        if comm == "redis-server":
            return "redis"
        if comm != "postgres":
            return None
        title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        if self.database in title:
            return "postgres"
        # A backend's title names a client ("127.0.0.1(5432)", "[local]"); the server's own processes name none.
        return None if ("(" in title or "[local]" in title) else "postgres"

    def _sample(self, into: dict[int, tuple[str, int]]) -> None:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                pid = int(stat.parent.name)
                text = stat.read_text()
                comm, rest = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
                kind = self._kind(pid, comm)
            except (OSError, ValueError):
                continue
            if kind is not None:
                into[pid] = (kind, int(rest[11]) + int(rest[12]))  # utime + stime

    def stop(self) -> dict[str, float]:
        self.stopping.set()
        self.thread.join()
        self._sample(self.last)
        began, busy, children = self.started
        seconds = time.monotonic() - began
        used = {"total": (self._busy() - busy) / self.tick, "gunicorn": 0.0, "postgres": 0.0, "redis": 0.0}
        for pid, (kind, ticks) in self.last.items():
            used[kind] += (ticks - self.first.get(pid, (kind, 0))[1]) / self.tick
        used["load_generator"] = self._children() - children
        used["other"] = used["total"] - sum(used[name] for name in ("gunicorn", "postgres", "redis", "load_generator"))
        return {name: round(value / seconds, 2) for name, value in used.items()}


def _round(pgbench: dict[str, Any], spread: dict[str, Any], hot: dict[str, Any]) -> dict[str, Any]:
    """One round's yardstick and runs, and the two ratios the targets are about."""
    tps, a, b = pgbench["tps"], spread["run"]["ok_per_s"], hot["run"]["ok_per_s"]
    return {
        "pgbench_tps": tps,
        "spread_per_s": round(a, 1),
        "hot_per_s": round(b, 1),
        "spread_cpu_ms": spread["run"]["server_cpu_ms"],
        "spread_to_pgbench": round(a / tps, 4) if tps else 0.0,
        "hot_to_spread": round(b / a, 4) if a else 0.0,
        "money": spread["conservation"]["pass"] and hot["conservation"]["pass"],
    }


def _server_cpu_ms(cores: dict[str, float], per_second: float, sides: tuple[str, ...]) -> float | None:
    """CPU milliseconds the server side spent per operation: what a run costs whatever else shares the machine."""
    return round(sum(cores[side] for side in sides) * 1e3 / per_second, 2) if per_second else None


def _frame(frame: str) -> tuple[str, str]:
    """py-spy's ``function (path:line)`` as (package, ``module.function``), paths shortened to the project or the
    installed package."""
    function, _, where = frame.rpartition(" (")
    path = where.rsplit(":", 1)[0]
    for marker in ("site-packages/", f"{ROOT}/", "python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    module = path.removesuffix(".py").replace("/", ".")
    package = module.split(".")[0]
    if package in ("apps", "config") and module.count("."):
        package = ".".join(module.split(".")[:2])
    return package, f"{module}.{function}"


def profile_summary(path: Path, top: int = 15) -> dict[str, Any]:
    """The share of samples per leaf function (self time), per package of the leaf, and per project function
    anywhere on the stack (inclusive time)."""
    total = 0
    own: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        total += samples
        frames = [_frame(frame) for frame in stack.split(";")]
        package, function = frames[-1]
        own[function] += samples
        packages[package] += samples
        for name in {function for package, function in frames if package.startswith("apps.")}:
            inclusive[name] += samples

    def shares(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(name, round(n / total, 4)) for name, n in counter.most_common(top)] if total else []

    return {
        "file": str(path.relative_to(ROOT)),
        "samples": total,
        "self": shares(own),
        "self_by_package": shares(packages),
        "inclusive_project": shares(inclusive),
    }


def report(results: dict[str, Any]) -> None:
    pgbench = results["pgbench"]["tps"]
    config = results["config"]
    print()
    print(
        f"POST /v1/transfers p2p, {config['clients']} clients, {config['duration_s']} s measured after "
        f"{config['warmup_s']} s warm-up; gunicorn {config['gunicorn']['workers']} workers x "
        f"{config['gunicorn']['threads']} threads; {config['cpus']} CPUs"
    )
    if "stand_in" in results:
        run = results["stand_in"]["run"]
        print(f"pgbench tpcb-like: {pgbench:.0f} tps")
        print(
            f"stand-in GET /v1/partner: {run['ok_per_s']:.0f} 200/s ({run['ok_per_s'] / pgbench:.3f} of pgbench), "
            f"p50 {run['p50_ms']:.1f} ms, p99 {run['p99_ms']:.1f} ms, statuses {run['statuses']}, "
            f"cpu {run['cpu_cores']}"
        )
        return
    spread, hot = results["spread"], results["hot"]
    a, b = spread["run"]["ok_per_s"], hot["run"]["ok_per_s"]
    hot_to_spread = b / a if a else 0.0
    results["ratios"] = {
        "spread_to_pgbench": a / pgbench,
        "hot_to_pgbench": b / pgbench,
        "hot_to_spread": hot_to_spread,
    }
    if results.get("pgbench_scaled"):
        results["ratios"]["spread_to_pgbench_scaled"] = a / results["pgbench_scaled"]["tps"]
    if results.get("bare"):
        results["ratios"]["spread_to_bare"] = a / results["bare"]["run"]["ok_per_s"]
    rows = [(f"(a) {config['wallets']:,} wallets", spread, f">={TARGET_SPREAD}"), ("(b) 2 hot wallets", hot, "")]
    header = (
        f"{'run':<26}{'201/s':>9}{'/pgbench':>10}{'target':>8}{'p50 ms':>9}{'p99 ms':>9}{'cpu ms':>8}"
        f"  {'non-201':<20}money"
    )
    print(header)
    print("-" * len(header))
    print(f"{'pgbench tpcb-like (tps)':<26}{pgbench:>9.0f}{1:>10.3f}{'':>26}{results['pgbench']['server_cpu_ms']:>8}")
    scaled = results.get("pgbench_scaled")
    if scaled:
        label = "pgbench -s 16 -M prepared"
        print(f"{label:<26}{scaled['tps']:>9.0f}{scaled['tps'] / pgbench:>10.3f}{'':>26}{scaled['server_cpu_ms']:>8}")
    bare = results.get("bare", {}).get("run")
    if bare:
        money = "PASS" if bare["money"]["pass"] else "FAIL"
        others = {code: n for code, n in bare["statuses"].items() if code != "201"}
        print(
            f"{'bare DRF transfer (scale)':<26}{bare['ok_per_s']:>9.1f}{bare['ok_per_s'] / pgbench:>10.3f}{'':>8}"
            f"{bare['p50_ms']:>9.1f}{bare['p99_ms']:>9.1f}{bare['server_cpu_ms']:>8}"
            f"  {json.dumps(others) if others else 'none':<20}{money}"
        )
    for label, scenario, target in rows:
        run = scenario["run"]
        others = {code: n for code, n in run["statuses"].items() if code != "201"}
        money = "PASS" if scenario["conservation"]["pass"] else "FAIL"
        print(
            f"{label:<26}{run['ok_per_s']:>9.1f}{run['ok_per_s'] / pgbench:>10.3f}{target:>8}"
            f"{run['p50_ms']:>9.1f}{run['p99_ms']:>9.1f}{run['server_cpu_ms']:>8}"
            f"  {json.dumps(others) if others else 'none':<20}{money}"
        )
    print(f"{'(b)/(a)':<26}{'':>9}{hot_to_spread:>10.3f}{f'>={TARGET_HOT}':>8}")
    ratios = results["ratios"]
    if "spread_to_pgbench_scaled" in ratios:
        print(f"(a) / pgbench -s 16 -M prepared: {ratios['spread_to_pgbench_scaled']:.3f}", end="")
        print(f"; (a) / bare DRF transfer: {ratios['spread_to_bare']:.3f}" if "spread_to_bare" in ratios else "")
    print("cpu ms: server-side CPU per operation (gunicorn + PostgreSQL + Redis; pgbench: PostgreSQL)")
    spread_ratio, hot_ratio, judged = a / pgbench, hot_to_spread, "this run"
    rounds = results.get("rounds", [])
    if len(rounds) > 1:
        print(
            f"{'round':<8}{'pgbench':>9}{'(a) /s':>9}{'(a)/pgbench':>13}{'(a) cpu ms':>12}{'(b) /s':>9}{'(b)/(a)':>9}"
            "  money"
        )
        for number, row in enumerate(rounds, 1):
            print(
                f"{number:<8}{row['pgbench_tps']:>9.0f}{row['spread_per_s']:>9.1f}{row['spread_to_pgbench']:>13.3f}"
                f"{row['spread_cpu_ms']:>12}{row['hot_per_s']:>9.1f}{row['hot_to_spread']:>9.3f}"
                f"  {'PASS' if row['money'] else 'FAIL'}"
            )
        spread_ratio = statistics.median(row["spread_to_pgbench"] for row in rounds)
        hot_ratio = statistics.median(row["hot_to_spread"] for row in rounds)
        judged = f"medians of {len(rounds)} rounds"
        results["ratios"]["median_spread_to_pgbench"] = spread_ratio
        results["ratios"]["median_hot_to_spread"] = hot_ratio
        print(f"medians: (a)/pgbench {spread_ratio:.3f}, (b)/(a) {hot_ratio:.3f}")
    met_a = "met" if spread_ratio >= TARGET_SPREAD else "MISSED"
    met_b = "met" if hot_ratio >= TARGET_HOT else "MISSED"
    print(f"targets ({judged}): (a) {met_a}, (b) {met_b}")
    for label, scenario, _ in rows:
        conservation = scenario["conservation"]
        failed = [name for name, ok in conservation["checks"].items() if not ok]
        print(
            f"{label}: money {'PASS' if conservation['pass'] else 'FAIL ' + ', '.join(failed)}: "
            f"{conservation['transfers_added'].get('succeeded', 0)} succeeded = {conservation['responses_201']} "
            f"201s + {conservation['unanswered_succeeded']} unanswered at the cut-off; "
            f"reconcile ok={conservation['reconcile']['ok']}; cpu (cores) {scenario['run']['cpu_cores']}"
        )
        if scenario["run"]["samples"]:
            print(f"  first non-201 answers: {scenario['run']['samples'][:3]}")
    noisy = {
        name: cpu["other"]
        for name, cpu in (
            ("pgbench", results["pgbench"]["cpu_cores"]),
            *((("pgbench -s 16", results["pgbench_scaled"]["cpu_cores"]),) if "pgbench_scaled" in results else ()),
            *((("bare", results["bare"]["run"]["cpu_cores"]),) if "bare" in results else ()),
            ("(a)", spread["run"]["cpu_cores"]),
            ("(b)", hot["run"]["cpu_cores"]),
        )
        if cpu["other"] > NOISE_CORES
    }
    if noisy:
        busy = ", ".join(f"{name} {cores:.2f}" for name, cores in noisy.items())
        print(f"NOISY: other processes on this machine used CPU (cores) during {busy}: compare several runs")
    for label, scenario, _ in rows:
        profile = scenario["run"].get("profile")
        if profile:
            print(f"{label} profile of one worker, {profile['samples']} samples holding the GIL ({profile['file']}):")
            for title in ("self_by_package", "self", "inclusive_project"):
                print(f"  {title}: " + ", ".join(f"{name} {share:.1%}" for name, share in profile[title][:10]))
    queries = results.get("queries_per_transfer", {})
    if queries:
        print(
            "SQL statements per transfer (request path, in-process): "
            + ", ".join(
                f"{name} {row['queries']} (status {row['status']}; {row['ms']} ms, {row['sql_ms']} ms of it in SQL)"
                for name, row in queries.items()
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="Measured seconds per run (and for pgbench).")
    parser.add_argument("--warmup", type=int, default=5, help="Unmeasured seconds of load before each run.")
    parser.add_argument("--clients", type=int, default=16, help="Concurrent clients (wrk connections, pgbench).")
    parser.add_argument("--wallets", type=int, default=1000, help="Wallets the spread run picks pairs from.")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn worker processes.")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="Threads per worker (1: sync worker).")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="Measure pgbench, (a) and (b) this many times in turn; the targets are judged on the medians.",
    )
    parser.add_argument("--keep", action="store_true", help="Keep the database (and the server log) afterwards.")
    parser.add_argument("--stand-in", action="store_true", help="Load GET /v1/partner instead (harness check).")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="Sample one worker with py-spy during each measured run (slows it: numbers not comparable).",
    )
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--keys", help=argparse.SUPPRESS)
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        PHASES[args.phase](args)
        return
    if args.wallets < 2 or args.clients < 1 or args.duration < 1 or args.rounds < 1:
        sys.exit("--wallets must be at least 2, --clients, --duration and --rounds at least 1.")
    bench = Bench(args)
    try:
        results = bench.main()
    finally:
        if not args.keep:
            shutil.rmtree(bench.tmp, ignore_errors=True)
    report(results)
    # A stand-in run never replaces the transfers results.
    path = RESULTS.with_name("transfers-stand-in.json") if args.stand_in else RESULTS
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
