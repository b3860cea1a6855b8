"""In-process copies of small, staff-edited tables (FX rates, limit rules) read on hot paths.

Each process keeps a whole table for a few seconds instead of querying it on every transfer. An admin save
clears the saving process's copy once its transaction commits; other processes pick the edit up when their
copy ages out. The state is one tuple swapped atomically, so a reader never sees half a table, and a load that
raced a ``clear()`` is not stored (the generation moved on), so a cleared copy cannot come back stale.
"""

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TableCache(Generic[K, V]):
    """``get()`` returns the table ``load()`` built at most ``ttl_seconds`` ago; ``clear()`` forgets it."""

    def __init__(self, load: Callable[[], dict[K, V]], *, ttl_seconds: float) -> None:
        self._load = load
        self._ttl = ttl_seconds
        self._lock = threading.Lock()
        self._generation = 0
        self._state: tuple[float, dict[K, V]] | None = None

    def get(self) -> dict[K, V]:
        state = self._state
        if state is not None and time.monotonic() - state[0] < self._ttl:
            return state[1]
        generation = self._generation
        table = self._load()
        with self._lock:
            if generation == self._generation:
                self._state = (time.monotonic(), table)
        return table

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._state = None
