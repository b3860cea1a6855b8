"""Real threads for the concurrency tests: each with its own database connection, as separate requests have."""

import threading
import time
from collections.abc import Callable

from django.db import connection


def run_threads(targets: dict[str, Callable[[], None]], *, timeout: float = 120) -> dict[str, BaseException]:
    """Run each target in its own named thread with its own connection (closed at the end); return what raised."""
    raised: dict[str, BaseException] = {}

    def wrap(name: str, target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                target()
            except BaseException as error:
                raised[name] = error
            finally:
                connection.close()

        return run

    threads = [threading.Thread(target=wrap(name, target), name=name) for name, target in targets.items()]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "threads still running: a lock wait that never ends"
    return raised
