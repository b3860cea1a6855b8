"""`make load` / `make faults`: a partner mix against gunicorn + PostgreSQL + Redis + a Celery worker and beat on
loopback, then the audits (bench/README.md, "Load and fault runs"). `python bench/load/run.py [--faults]`.

Everything runs on services of its own: a PostgreSQL cluster in ``/tmp/causeway-loadpg`` on port 5440 (initdb'd as
the ``postgres`` user on first use) and a redis-server on port 6390 without persistence; only those are ever
restarted. Nothing here touches the machine's PostgreSQL (5432) or Redis (6379).
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from faults import FAULTS, Faults

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"
PG_BIN = Path(os.environ.get("LOAD_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_DATA = Path(os.environ.get("LOAD_PG_DATA", "/tmp/causeway-loadpg"))
PG_PORT = 5440
REDIS_PORT = 6390
DATABASE = "causeway_load"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(*command: str) -> None:
    """Run a PostgreSQL program as the ``postgres`` user (initdb and the server refuse root)."""
    line = " ".join(f"'{part}'" for part in command)
    prefix = [] if os.geteuid() != 0 else ["su", "postgres", "-c"]
    subprocess.run([*prefix, line] if prefix else ["sh", "-c", line], check=True, stdout=subprocess.DEVNULL)


class Services:
    """The run's own PostgreSQL and Redis, plus the platform's processes and the webhook receiver."""

    def __init__(self, tmp: Path, workers: int, threads: int) -> None:
        self.tmp = tmp
        self.workers, self.threads = workers, threads
        self.procs: dict[str, subprocess.Popen] = {}
        self.port = free_port()
        self.receiver_port = free_port()
        self.metrics_token = secrets.token_urlsafe(32)
        self.logs = tmp / "logs"
        self.logs.mkdir()
        self.env = dict(os.environ)
        self.env.update(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}",
            CACHE_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
            CELERY_BROKER_URL=f"redis://127.0.0.1:{REDIS_PORT}/1",
            DJANGO_SETTINGS_MODULE="config.settings.dev",
            DEBUG="false",
            REQUEST_LOG_WRITER="thread",
            RATE_LIMIT_SANDBOX_WRITE="1000000000",
            RATE_LIMIT_SANDBOX_READ="1000000000",
            CAUSEWAY_VAR_DIR=str(tmp / "var"),
            METRICS_TOKEN=self.metrics_token,
            PYTHONPATH=str(ROOT),
            LOG_LEVEL="WARNING",
        )

    # --- PostgreSQL and Redis: ours only --------------------------------------------------------------------------
    def postgres_start(self) -> None:
        if not (PG_DATA / "PG_VERSION").exists():
            PG_DATA.mkdir(parents=True, exist_ok=True)
            shutil.chown(PG_DATA, "postgres", "postgres") if os.geteuid() == 0 else None
            as_postgres(str(PG_BIN / "initdb"), "-D", str(PG_DATA), "-A", "trust", "-U", "postgres")
        self.pg_ctl("-w", "start")

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {PG_PORT} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200"
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(PG_DATA), "-o", options, "-l", str(PG_DATA / "log"), *args)

    def postgres_restart(self) -> None:
        self.pg_ctl("-m", "fast", "-w", "restart")

    def postgres_stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.pg_ctl("-m", "fast", "-w", "stop")

    def sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{PG_PORT}/postgres", autocommit=True) as conn:
            conn.execute(statement)

    def redis_start(self) -> None:
        self.spawn("redis", ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", ""])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    # --- Processes ------------------------------------------------------------------------------------------------
    def spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("a")
        proc = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True)
        self.procs[name] = proc
        return proc

    def manage(self, *args: str) -> str:
        result = subprocess.run([VENV / "python", "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True)
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr.decode()[-3000:]}")
        return result.stdout.decode()

    def django_side(self, *args: str) -> dict:
        command = [VENV / "python", ROOT / "bench/load/django_side.py", *args]
        result = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True)
        if result.returncode:
            raise RuntimeError(f"django_side {args[0]} failed:\n{result.stderr.decode()[-3000:]}")
        return json.loads(result.stdout.decode().strip().splitlines()[-1])

    def web_start(self) -> None:
        options = f"--workers {self.workers} --worker-class gthread --threads {self.threads} --no-control-socket"
        self.spawn(
            "gunicorn", [f"{VENV}/gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}", *options.split()]
        )
        self.wait_http(f"{self.base}/health/", "gunicorn")

    def worker_start(self) -> None:
        options = "--loglevel WARNING --concurrency 2 --queues default,webhooks --hostname load@%h"
        self.spawn("worker", [f"{VENV}/celery", "-A", "config", "worker", *options.split()])

    def beat_start(self) -> None:
        options = f"--loglevel WARNING --schedule {self.tmp / 'beat-schedule'}"
        self.spawn("beat", [f"{VENV}/celery", "-A", "config", "beat", *options.split()])

    def receiver_start(self) -> None:
        received = self.tmp / "received.txt"
        self.spawn(
            "receiver", [f"{VENV}/python", f"{ROOT}/bench/load/receiver.py", str(self.receiver_port), str(received)]
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @staticmethod
    def wait_http(url: str, what: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{what} did not answer {url} within {seconds} s")

    def kill(self, name: str, sig: int = signal.SIGTERM) -> None:
        proc = self.procs.get(name)
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def metrics(self) -> str:
        authorization = {"Authorization": f"Bearer {self.metrics_token}"}
        request = urllib.request.Request(f"{self.base}/metrics", headers=authorization)
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read().decode()

    def stop_all(self) -> None:
        for name in ("gunicorn", "worker", "beat", "receiver", "redis"):
            self.kill(name)
        self.postgres_stop()


def locust(services: Services, args: argparse.Namespace, seed: Path) -> dict:
    prefix = services.tmp / "locust"
    outcomes, attempts = services.tmp / "outcomes.jsonl", services.tmp / "attempts.json"
    env = dict(services.env, LOAD_SEED=str(seed), LOAD_OUTCOMES=str(outcomes), LOAD_ATTEMPTS=str(attempts))
    options = (
        f"--headless --users {args.users} --spawn-rate {args.users} --run-time {args.duration}s --stop-timeout 30 "
        f"--host {services.base} --csv {prefix} --only-summary --loglevel WARNING"
    )
    started = time.monotonic()
    log = (services.logs / "locust.log").open("w")
    command = [f"{VENV}/locust", "-f", f"{ROOT}/bench/load/locustfile.py", *options.split()]
    subprocess.run(command, cwd=ROOT, env=env, check=False, stdout=log, stderr=subprocess.STDOUT)
    elapsed = time.monotonic() - started
    rows = {}
    import csv

    with open(f"{prefix}_stats.csv") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = row
    total = rows["Aggregated"]
    return {
        "seconds": round(elapsed, 1),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "requests_per_s": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p99_ms": float(total["99%"]),
        "transfers_per_s": round(float(rows.get("/v1/transfers", {}).get("Requests/s", 0) or 0), 1),
        "transfer_p50_ms": float(rows.get("/v1/transfers", {}).get("50%", 0) or 0),
        "transfer_p99_ms": float(rows.get("/v1/transfers", {}).get("99%", 0) or 0),
        "transfer_attempt_statuses": json.loads(attempts.read_text()) if attempts.exists() else {},
        "server_errors_5xx": server_errors(prefix),
    }


def server_errors(prefix: Path) -> dict[str, int]:
    """5xx answers by route, from locust's failures file: its ``Error`` column is ``CatchResponseError('500')`` for
    transfers (the status the locustfile reports) or ``HTTPError('500 Server Error ...')`` for reads."""
    import csv
    import re

    counts: dict[str, int] = {}
    with open(f"{prefix}_failures.csv") as handle:
        for row in csv.DictReader(handle):
            if re.search(r"\(['\"]5\d\d\b", row["Error"]):
                counts[row["Name"]] = counts.get(row["Name"], 0) + int(row["Occurrences"])
    return counts


def drain(services: Services, seconds: float) -> dict:
    """Wait until no delivery is pending (or ``seconds`` pass): what the audit checks must have finished."""
    started = time.monotonic()
    pending = None
    while time.monotonic() - started < seconds:
        pending = services.django_side("pending")["pending"]
        if pending == 0:
            break
        time.sleep(3)
    return {"pending_after": pending, "drain_seconds": round(time.monotonic() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", action="store_true", help="inject the faults during the load (make faults)")
    parser.add_argument("--only", default=",".join(FAULTS), help=f"faults to inject, of {', '.join(FAULTS)}")
    parser.add_argument("--duration", type=int, default=300)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--partners", type=int, default=3)
    parser.add_argument("--wallets", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--drain", type=int, default=420, help="seconds to wait for deliveries after the load")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder (logs, outcomes)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="causeway-load-"))
    os.chmod(tmp, 0o755)
    services = Services(tmp, args.workers, args.threads)
    result: dict = {"mode": "faults" if args.faults else "load", "args": vars(args), "folder": str(tmp)}
    try:
        services.postgres_start()
        services.sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        services.sql(f'CREATE DATABASE "{DATABASE}"')
        services.redis_start()
        services.manage("migrate_all")
        receiver = f"http://127.0.0.1:{services.receiver_port}/hooks"
        seeded = services.django_side(
            "seed", "--partners", str(args.partners), "--wallets", str(args.wallets), "--receiver", receiver
        )
        seed = tmp / "seed.json"
        seed.write_text(json.dumps(seeded))
        services.receiver_start()
        services.web_start()
        services.worker_start()
        services.beat_start()
        injector = Faults(services, args.only.split(","), args.duration) if args.faults else None
        if injector:
            threading.Thread(target=injector.run, daemon=True).start()
        result["load"] = locust(services, args, seed)
        if injector:
            injector.stopped.wait(120)
            result["faults"] = injector.log
        result["drain"] = drain(services, args.drain)
        files = f"--seed {seed} --outcomes {tmp / 'outcomes.jsonl'} --received {tmp / 'received.txt'}"
        result["audit"] = services.django_side("audit", *files.split())
        wanted = ("causeway_webhook", "causeway_transfer_statuses_total")
        result["metrics_sample"] = [line for line in services.metrics().splitlines() if line.startswith(wanted)]
        audit = result["audit"]
        result["pass"] = all(audit[part]["pass"] for part in ("money", "transfers", "events")) and (
            args.faults or not result["load"]["server_errors_5xx"]
        )
    finally:
        services.stop_all()
        if not args.keep and result.get("pass"):
            shutil.rmtree(tmp, ignore_errors=True)
    out = ROOT / "bench" / "results" / f"load-{result['mode']}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    sys.exit(0 if result.get("pass") else 1)


if __name__ == "__main__":
    main()
