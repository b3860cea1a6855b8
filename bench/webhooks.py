"""Webhook delivery throughput and commit-to-receipt latency: `python bench/webhooks.py [--backend postgres]`.

One Celery worker (``--concurrency 2``, the machine's two cores) and beat deliver to a receiver on 127.0.0.1 (its
own process). Measured in the same run, against the same receiver:

- **throughput**: ``--events`` events written one per transaction as fast as this process can, to one endpoint
  subscribed to everything; events/s = events / (last receipt - first commit);
- **bare loop**: the same signed payloads posted by a plain ``httpx.Client`` loop (one connection, no database),
  the ceiling the worker is compared to (ratio = worker / bare loop);
- **latency**: a steady ``--rate`` events/s for ``--seconds``; p50/p99 of receipt time - commit time.

``--backend postgres`` uses the server ``DATABASE_URL`` points to (a throwaway database ``causeway_bench_webhooks``
is created and dropped) and a redis-server of its own on a free port; ``--backend embedded`` (default) is the
embedded default: SQLite and the filesystem broker in a throwaway folder. Targets (issue 6): PostgreSQL + Redis
at least 250 events/s and p99 under 1 s at 50 events/s; embedded p99 under 3 s. Nothing here is a test assertion.
"""

import argparse
import json
import multiprocessing
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "causeway_bench_webhooks"


# --- The receiver (own process, so its CPU is not this process's GIL) -----------------------------------------
def _receiver_main(port_out, commands) -> None:
    received: list[tuple[str, float]] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes: without this, Nagle and delayed ACKs add 40 ms per answer.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                received.append((self.headers.get("webhook-id", ""), time.time()))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port_out.send(server.server_port)
    while True:
        command = commands.recv()
        if command == "stop":
            return
        with lock:
            if command == "dump":
                commands.send(list(received))
            elif command == "clear":
                received.clear()
                commands.send(True)
            elif command == "count":
                commands.send(len(received))


class ReceiverProcess:
    def __init__(self) -> None:
        port_in, port_out = multiprocessing.Pipe()
        self.commands, remote = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=_receiver_main, args=(port_out, remote), daemon=True)
        self.process.start()
        self.port = port_in.recv()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def ask(self, command: str):
        self.commands.send(command)
        return self.commands.recv()

    def wait_for(self, ids: set[str], timeout: float) -> dict[str, float]:
        """First receipt time per id, once every id has arrived (or the timeout passed)."""
        deadline = time.monotonic() + timeout
        while True:
            first: dict[str, float] = {}
            for webhook_id, at in self.ask("dump"):
                first.setdefault(webhook_id, at)
            if ids <= first.keys() or time.monotonic() > deadline:
                return first
            time.sleep(0.05)

    def stop(self) -> None:
        self.commands.send("stop")
        self.process.join(5)


# --- Setup --------------------------------------------------------------------------------------------------------
def _postgres_urls() -> tuple[str, str]:
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit(
            "--backend postgres needs DATABASE_URL=postgres://user@host:port/db (a throwaway db is made beside it)"
        )
    return urlunsplit(parts._replace(path=f"/{DB_NAME}")), urlunsplit(
        parts._replace(scheme="postgresql", path="/postgres")
    )


def _admin(conninfo: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(statement)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["embedded", "postgres"], default="embedded")
    parser.add_argument("--events", type=int, default=2000, help="Events in the throughput burst.")
    parser.add_argument("--rate", type=float, default=50.0, help="Events per second in the latency run.")
    parser.add_argument("--seconds", type=float, default=20.0, help="Length of the latency run.")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="causeway-bench-webhooks-")
    os.environ["CAUSEWAY_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["LOG_LEVEL"] = "WARNING"
    for name in ("CACHE_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    redis = None
    admin = ""
    if args.backend == "postgres":
        bench_url, admin = _postgres_urls()
        _admin(admin, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        _admin(admin, f"CREATE DATABASE {DB_NAME}")
        os.environ["DATABASE_URL"] = bench_url
        from tests.webhooks.live import RedisServer

        redis = RedisServer().start()
        os.environ["CELERY_BROKER_URL"] = redis.url
    else:
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate_all", verbosity=0)

    from apps.events.models import Event
    from apps.partners.services import partner_create
    from apps.webhooks import services
    from apps.webhooks.services.delivery import event_body
    from apps.webhooks.signing import headers as signed_headers
    from tests.events.factories import make_events
    from tests.webhooks.live import CeleryProcess

    receiver = ReceiverProcess()
    partner = partner_create(name="Bench")
    sandbox = partner.environments.get(kind="sandbox")
    endpoint = services.endpoint_create(partner=partner, environment=sandbox, url=receiver.url, enabled_events=["*"])

    env = dict(os.environ)
    log = Path(var_dir) / "celery.log"
    beat = CeleryProcess("beat", env, log=log).start()
    worker = CeleryProcess("worker", env, concurrency=2, log=log).start()
    try:
        # Warm up: the worker is up once a first event arrives.
        (warm,) = make_events(partner=partner, environment=sandbox, count=1)
        if warm.public_id not in receiver.wait_for({warm.public_id}, timeout=60):
            sys.exit(f"the worker delivered nothing within 60 s; see {log}")
        receiver.ask("clear")

        # 1. Throughput: a backlog written while the worker is stopped (its tasks wait in the broker), then
        # delivered by the worker; from the first receipt to the last, so the worker's start is not counted.
        # Writing one event per transaction from this one process is slower than delivering them, so a burst
        # written while the worker runs would measure the writer.
        worker.stop()
        commits: dict[str, float] = {}
        started = time.time()
        for _ in range(args.events):
            (event,) = make_events(partner=partner, environment=sandbox, count=1)
            commits[event.public_id] = time.time()
        written = time.time() - started
        worker.start()
        arrived = receiver.wait_for(set(commits), timeout=300)
        missing = len(set(commits) - arrived.keys())
        elapsed = max(arrived.values()) - min(arrived.values())
        throughput = (len(arrived) - 1) / elapsed

        # 2. The bare loop: the same payloads, signed the same way, from one httpx client.
        import httpx

        from apps.core import clock
        from apps.webhooks.services import signing_secrets

        secrets = signing_secrets(endpoint, now=clock.now())
        payloads = [
            event_body(e)
            for e in Event.objects.filter(public_id__in=list(commits)).select_related("environment").order_by("pk")
        ]
        receiver.ask("clear")
        with httpx.Client(trust_env=False) as client:
            loop_started = time.time()
            for body in payloads:
                msg_id = json.loads(body)["id"]
                hdrs = signed_headers(secrets=secrets, msg_id=msg_id, timestamp=int(time.time()), body=body)
                client.post(receiver.url, content=body, headers={**hdrs, "Content-Type": "application/json"})
            loop_elapsed = time.time() - loop_started
        loop_rate = len(payloads) / loop_elapsed
        receiver.ask("clear")

        # 3. Latency at a steady rate.
        commits = {}
        interval = 1.0 / args.rate
        total = int(args.rate * args.seconds)
        next_at = time.monotonic()
        for _ in range(total):
            next_at += interval
            (event,) = make_events(partner=partner, environment=sandbox, count=1)
            commits[event.public_id] = time.time()
            pause = next_at - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        arrived = receiver.wait_for(set(commits), timeout=120)
        latency = [arrived[i] - commits[i] for i in commits if i in arrived]
        steady_missing = total - len(latency)
    finally:
        worker.stop()
        beat.stop()
        receiver.stop()
        connection.close()
        if redis is not None:
            redis.stop()
        if admin:
            _admin(admin, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")

    backend = "PostgreSQL + Redis" if args.backend == "postgres" else "embedded (SQLite + filesystem broker)"
    print(f"webhooks benchmark, {backend}, one worker (concurrency 2), {os.cpu_count()} cores")
    print(
        f"  backlog: {args.events} events written in {written:.1f} s ({args.events / written:.0f}/s) with the "
        f"worker stopped; delivered {args.events - missing}/{args.events}"
    )
    print(f"  throughput: {throughput:.0f} events/s (first receipt to last)")
    print(
        f"  bare httpx loop, same payloads and receiver: {loop_rate:.0f} posts/s; ratio worker/bare "
        f"{throughput / loop_rate:.2f}"
    )
    print(
        f"  steady {args.rate:.0f}/s for {args.seconds:.0f} s ({total} events, {steady_missing} missing): "
        f"p50 {statistics.median(latency) * 1000:.0f} ms, p99 {percentile(latency, 0.99) * 1000:.0f} ms, "
        f"max {max(latency) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
