"""The faults `make faults` injects during the load, each bounded and self-stopping, spread evenly over the run:

- ``gunicorn_worker``: SIGKILL one gunicorn worker (its arbiter starts another);
- ``celery_worker``: SIGKILL the Celery worker and its pool processes, then start it again 5 s later (as a
  supervisor would);
- ``redis``: stop the run's redis-server (port 6390, no persistence: the cache and every queued message are gone)
  and start it again 3 s later;
- ``postgres``: restart the run's PostgreSQL cluster (port 5440) with ``pg_ctl restart -m fast`` (every
  connection is cut).

Only the run's own services are touched, never the machine's PostgreSQL or Redis.
"""

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

FAULTS = ("gunicorn_worker", "celery_worker", "redis", "postgres")


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


class Faults:
    def __init__(self, services: Any, names: list[str], duration: int) -> None:
        unknown = set(names) - set(FAULTS)
        if unknown:
            raise SystemExit(f"unknown faults: {', '.join(sorted(unknown))}")
        self.services = services
        self.names = names
        self.duration = duration
        self.log: list[dict[str, Any]] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        try:
            for index, name in enumerate(self.names):
                at = self.duration * (index + 1) / (len(self.names) + 1)
                time.sleep(max(0.0, started + at - time.monotonic()))
                begun = time.monotonic()
                try:
                    detail = getattr(self, name)()
                    outcome = "done"
                except Exception as error:  # a fault that cannot be injected is reported, never fatal
                    detail, outcome = repr(error), "error"
                self.log.append(
                    {
                        "fault": name,
                        "at_s": round(begun - started, 1),
                        "took_s": round(time.monotonic() - begun, 1),
                        "outcome": outcome,
                        "detail": detail,
                    }
                )
        finally:
            self.stopped.set()

    def gunicorn_worker(self) -> str:
        workers = children(self.services.procs["gunicorn"].pid)
        if not workers:
            raise RuntimeError("no gunicorn worker found")
        os.kill(workers[0], signal.SIGKILL)
        return f"SIGKILL worker {workers[0]} of {len(workers)}"

    def celery_worker(self) -> str:
        proc = self.services.procs["worker"]
        pool = children(proc.pid)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        time.sleep(5)
        self.services.worker_start()
        return f"SIGKILL worker {proc.pid} and {len(pool)} pool processes, started again after 5 s"

    def redis(self) -> str:
        self.services.kill("redis", signal.SIGTERM)
        time.sleep(3)
        self.services.redis_start()
        return "stopped, started again after 3 s (empty)"

    def postgres(self) -> str:
        self.services.postgres_restart()
        return "pg_ctl restart -m fast"
