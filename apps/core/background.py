"""A bounded queue drained by a daemon thread per process, for work that must stay off the request path and may
be late or, when the queue is full, dropped (counted and logged): the request log's rows
(``apps.partners.request_logs``), monitoring's messages (``apps.risk.monitoring.trigger``)."""

import atexit
import os
import queue
import threading
from collections.abc import Callable
from typing import Any

import structlog
from django.db import connections

logger = structlog.get_logger(__name__)


class _FlushMarker:
    __slots__ = ("done",)

    def __init__(self) -> None:
        self.done = threading.Event()


class BatchWriter:
    """A bounded queue drained by one daemon thread that writes batches with ``write``.

    ``submit`` never blocks: on a full queue the entry is dropped and counted in ``dropped``. The thread wakes
    every ``flush_seconds``, or as soon as a full batch is waiting, and writes everything queued; ``flush``
    waits until everything submitted before it has been written. The thread uses its own database connection,
    kept between busy rounds (within ``CONN_MAX_AGE``) and closed after a round with nothing to write, so it
    never holds one while idle.
    """

    def __init__(
        self,
        *,
        name: str,
        log_prefix: str,
        queue_size: int,
        batch_size: int,
        flush_seconds: float,
        write: Callable[[list[Any]], Any],
    ) -> None:
        self.name = name
        self.log_prefix = log_prefix  # its warnings are <log_prefix>_dropped and <log_prefix>_write_failed
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.dropped = 0
        self._write = write
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=queue_size)
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, entry: Any) -> bool:
        self._ensure_running()
        try:
            self._queue.put_nowait(entry)
        except queue.Full:
            with self._lock:
                self.dropped += 1
                dropped = self.dropped
            if dropped == 1 or dropped % 1000 == 0:
                logger.warning(
                    f"{self.log_prefix}_dropped", writer=self.name, dropped=dropped, queue_size=self._queue.maxsize
                )
            return False
        # Not woken per entry (a wake-up takes the interpreter lock from request threads): a full batch is.
        if self._queue.qsize() >= self.batch_size:
            self._wake.set()
        return True

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every entry submitted so far is written; False if that took longer than ``timeout``."""
        if self._thread is None:
            return True
        self._ensure_running()
        marker = _FlushMarker()
        try:
            self._queue.put(marker, timeout=timeout)
        except queue.Full:
            return False
        self._wake.set()
        return marker.done.wait(timeout)

    def _ensure_running(self) -> None:
        thread = self._thread
        if thread is not None and thread.is_alive():
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait(self.flush_seconds)
            self._wake.clear()
            if self._drain():
                # Busy: keep the connection for the next round, as request threads do (CONN_MAX_AGE); opening
                # one per batch cost a measurable share of a busy server.
                for connection in connections.all(initialized_only=True):
                    connection.close_if_unusable_or_obsolete()
            else:
                connections.close_all()  # idle for a round: hold nothing

    def _drain(self) -> bool:
        """Write everything queued, a batch at a time; True if anything was taken off the queue."""
        drained = False
        while True:
            batch: list[Any] = []
            markers: list[_FlushMarker] = []
            while len(batch) < self.batch_size:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if isinstance(item, _FlushMarker):
                    # Everything submitted before the flush is in this batch or an earlier one: write now.
                    markers.append(item)
                    break
                batch.append(item)
            if not batch and not markers:
                return drained
            drained = True
            try:
                if batch:
                    self._write(batch)
            except Exception:
                logger.exception(f"{self.log_prefix}_write_failed", count=len(batch))
            for marker in markers:
                marker.done.set()


class PerProcess:
    """One ``BatchWriter`` per process, made by ``make`` on first use, flushed when the process exits; a forked
    child (a pre-forking server's or Celery's worker) inherits the queue but not the thread, so it starts afresh."""

    def __init__(self, make: Callable[[], BatchWriter]) -> None:
        self._make = make
        self._writer: BatchWriter | None = None
        self._lock = threading.Lock()
        os.register_at_fork(after_in_child=self._forget)

    def get(self) -> BatchWriter:
        if self._writer is None:
            with self._lock:
                if self._writer is None:
                    writer = self._make()
                    atexit.register(writer.flush)
                    self._writer = writer
        return self._writer

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything this process submitted so far is written (tests, benchmarks)."""
        return self._writer.flush(timeout) if self._writer is not None else True

    def _forget(self) -> None:
        self._writer, self._lock = None, threading.Lock()
