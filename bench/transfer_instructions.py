"""Instructions per p2p transfer under callgrind: `python bench/transfer_instructions.py [--transfers 50]`.

Wall-clock and CPU times on a shared machine move with its load; the instructions a process executes do not. This
counts the Python process's instructions (``valgrind --tool=callgrind``) over ``--transfers`` spread p2p
``POST /v1/transfers``, calling the WSGI application as gunicorn does, with the settings a deployment runs
(``config.settings.dev``, DEBUG off, the background request-log writer, the cache in Redis). PostgreSQL's work is
not in the count (see docs/performance.md for how it is measured per statement).

PostgreSQL and Redis only (``DATABASE_URL``, ``CACHE_URL``). Each call migrates and seeds a throwaway database
(``BENCH_INSTRUCTIONS_DB``, default ``causeway_bench_instructions``; 1,000 funded wallets, as bench/transfers.py
seeds them), then runs itself under valgrind: a warm-up, then the measured transfers between callgrind's client
requests (a small C shim, built with ``cc`` against valgrind's headers), the request-log writer's batch included.
Wall-clock work is moved out of reach so it cannot land in one run and not another: the request-log flush
interval, the limits' rule cache, the screening lists' check, the key's last-use touch, the key cache and the
connection age. ``BENCH_ROOT`` runs another checkout's code (compare two in alternating runs). Prints one JSON
line; drops the database. Needs valgrind and a C compiler.
"""

import argparse
import ctypes
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parent.parent)
SHIM = """#include <valgrind/callgrind.h>
void start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void stop(void) { CALLGRIND_STOP_INSTRUMENTATION; CALLGRIND_DUMP_STATS_AT("measured"); }
"""
SETTINGS = {
    "DJANGO_SETTINGS_MODULE": "config.settings.dev",
    "DEBUG": "false",
    "REQUEST_LOG_WRITER": "thread",
    "RATE_LIMIT_SANDBOX_WRITE": "1000000000",
    "CONN_MAX_AGE": "1000000",
    "API_KEY_CACHE_SECONDS": "1000000",
}


def _measure(seed: dict, transfers: int, warmup: int, shim: str) -> None:
    """Runs under valgrind: the warm-up, then the measured transfers between the shim's start and stop."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.db import connection

    import apps.partners.authentication as authentication
    import apps.risk.selectors as screening
    import apps.transfers.limits as limits
    from apps.partners import request_logs
    from config.wsgi import application  # as gunicorn loads it (the collector's settings too)

    settings.REQUEST_LOG_FLUSH_SECONDS = 10**6  # one batch, written by the flush at the end
    screening.MATCHER_CHECK_SECONDS = 10**9
    limits._rules._ttl = 10**9
    authentication._TOUCH_INTERVAL = timedelta(days=1)
    rng = random.Random(7)
    pairs = [rng.sample(seed["spread"], 2) for _ in range(warmup + transfers)]

    def send(source: str, destination: str) -> None:
        body = {"type": "p2p", "source": source, "destination": destination, "amount": 100, "currency": "USD"}
        raw = json.dumps(body).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/v1/transfers",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(raw)),
            "HTTP_AUTHORIZATION": f"Bearer {seed['key']}",
            "HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4()),
            "wsgi.input": io.BytesIO(raw),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        status: list[str] = []
        response = application(environ, lambda code, headers, exc_info=None: status.append(code))
        b"".join(response)
        response.close()
        assert status[0].startswith("201"), status

    for source, destination in pairs[:warmup]:
        send(source, destination)
    request_logs.flush()
    # As bench/transfers.py does after its warm-up: the tables the transfers fill were empty when the seed was
    # analysed, and plans made for empty tables read them whole.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    callgrind = ctypes.CDLL(shim)
    callgrind.start()
    for source, destination in pairs[warmup:]:
        send(source, destination)
    request_logs.flush()
    callgrind.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=40)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the run under valgrind: the seed's JSON file
    parser.add_argument("--shim", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.chdir(ROOT)
    os.environ.update(SETTINGS)
    if args.measure:
        _measure(json.loads(Path(args.measure).read_text()), args.transfers, args.warmup, args.shim)
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or not os.environ.get("CACHE_URL", "").startswith("redis"):
        sys.exit("DATABASE_URL must point to PostgreSQL and CACHE_URL to Redis")
    import psycopg

    name = os.environ.get("BENCH_INSTRUCTIONS_DB", "causeway_bench_instructions")
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = f"{base}/{name}"
    tmp = Path(tempfile.mkdtemp(prefix="causeway-bench-instructions-"))
    os.environ["CAUSEWAY_VAR_DIR"] = str(tmp / "var")
    try:
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate_all", "-v0"], check=True)
        seeded = subprocess.run(
            [python, "bench/transfers.py", "--phase", "seed", "--wallets", "1000"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        seed_file = tmp / "seed.json"
        seed_file.write_text(seeded.strip().splitlines()[-1])
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        (tmp / "shim.c").write_text(SHIM)
        shim = tmp / "shim.so"
        subprocess.run(["cc", "-O1", "-shared", "-fPIC", "-o", str(shim), str(tmp / "shim.c")], check=True)
        out = tmp / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}"]
        command += [python, str(Path(__file__).resolve()), "--measure", str(seed_file), "--shim", str(shim)]
        command += ["--transfers", str(args.transfers), "--warmup", str(args.warmup)]
        subprocess.run(command, check=True, capture_output=True)
        dump = next(path for path in tmp.glob("callgrind.out*") if "measured" in path.read_text(errors="replace"))
        totals = next(line for line in dump.read_text().splitlines() if line.startswith("totals:"))
        instructions = int(totals.split()[1])
        print(
            json.dumps(
                {
                    "root": str(ROOT),
                    "transfers": args.transfers,
                    "instructions_per_transfer": instructions // args.transfers,
                }
            )
        )
    finally:
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
