"""Real processes for the fault tests and the benchmark: a redis-server of our own on a free port, Celery workers
and beat against it, and pointing this process's Celery publisher at it."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """``redis-server`` on 127.0.0.1:<port> without persistence: stopping it loses every queued message."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


def database_url() -> str:
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        raise RuntimeError("the live tests run on PostgreSQL")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def process_env(*, broker_url: str, var_dir: str, **overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CAUSEWAY_VAR_DIR": var_dir,
            "LOG_LEVEL": "WARNING",
            # Short leases so a killed worker's rows come back within seconds (a post needs timeout + 2 s of lease).
            "OUTBOUND_HTTP_TIMEOUT_SECONDS": "3",
            "WEBHOOK_LEASE_SECONDS": "8",
            "WEBHOOK_SWEEP_SECONDS": "1",
            "WEBHOOK_SWEEP_GRACE_SECONDS": "2",
            "WEBHOOK_SWEEP_LEASE_SECONDS": "5",
        }
    )
    env.update(overrides)
    return env


class CeleryProcess:
    """A ``celery worker`` or ``celery beat`` in its own process group (so SIGKILL takes its children too)."""

    def __init__(self, kind: str, env: dict[str, str], *, concurrency: int = 2, log: Path | None = None) -> None:
        self.kind, self.env, self.concurrency, self.log = kind, env, concurrency, log
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> "CeleryProcess":
        self.starts += 1
        if self.kind == "worker":
            args = [
                "worker",
                "--queues",
                "default,webhooks",
                "--concurrency",
                str(self.concurrency),
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"webhooks-test-{os.getpid()}-{self.starts}@%h",
            ]
        else:
            args = ["beat", "--schedule", str(Path(self.env["CAUSEWAY_VAR_DIR"]) / "beat-schedule")]
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *args, "--loglevel", "WARNING"],
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
        return self

    def kill(self) -> None:
        """SIGKILL the whole process group: no warm shutdown, no acks, leases left behind."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def kill_pool_process(self) -> bool:
        """SIGKILL one prefork pool process (the one running a task); the main process forks a new one."""
        if self.process is None:
            return False
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [int(pid) for pid in children.read_text().split()] if children.exists() else []
        if not pids:
            return False
        with contextlib.suppress(ProcessLookupError):
            os.kill(pids[0], signal.SIGKILL)
        return True

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                self.kill()
        self.process = None


@contextmanager
def publisher(broker_url: str):
    """Point this process's Celery app at ``broker_url`` (and back afterwards)."""
    from kombu import pools as kombu_pools

    from config.celery import app

    def reset() -> None:
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        # kombu keeps its connection and producer pools in process-wide registries keyed by broker: a pool
        # closed above would stay registered, and a later test publishing to that broker would get "Acquire on
        # closed pool".
        kombu_pools.reset()

    original = app.conf.broker_url
    reset()
    app.conf.broker_url = broker_url
    try:
        yield app
    finally:
        reset()
        app.conf.broker_url = original


@contextmanager
def live_stack(*, workers: int = 1, concurrency: int = 2, **env_overrides: str):
    """Redis, beat and workers, all on loopback; yields (redis, workers, beat, var_dir)."""
    var_dir = tempfile.mkdtemp(prefix="causeway-webhooks-")
    redis = RedisServer().start()
    env = process_env(broker_url=redis.url, var_dir=var_dir, **env_overrides)
    log = Path(var_dir) / "celery.log"
    beat = CeleryProcess("beat", env, log=log).start()
    pool = [CeleryProcess("worker", env, concurrency=concurrency, log=log).start() for _ in range(workers)]
    try:
        with publisher(redis.url):
            yield redis, pool, beat, var_dir
    finally:
        for worker in pool:
            worker.stop()
        beat.stop()
        redis.stop()
        shutil.rmtree(var_dir, ignore_errors=True)


def wait_until(condition, *, timeout: float, interval: float = 0.2) -> bool:
    """Poll ``condition()`` until it is true or ``timeout`` seconds have passed; its last answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()
