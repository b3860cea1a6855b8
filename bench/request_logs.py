"""What request logging costs the request path: `python bench/request_logs.py`.

Not one of `make bench`'s scenarios (bench/run.py); run it by hand. Same method as bench/run.py: every variant
is timed in the same process and run, on the same machine, and reported as a ratio, here to `GET /v1/partner`
with the logging middleware installed but switched off (`REQUEST_LOG_WRITER = "off"`). Rounds of the variants
are interleaved so drift hits them alike. Variants:

- `middleware_removed`: the middleware not in MIDDLEWARE at all (what "off" itself costs);
- `thread`: the default: the middleware builds a dict and queues it, a background thread redacts and inserts;
- `sync`: redaction and the insert in the request itself (what the thread saves the request path);
- `thread_with_writer`: `thread` plus the time the thread then takes to write the round's rows (flushed after
  each round so its work never lands in another variant's timing): the CPU the process spends in all.

Also printed: the rows written and the entries the thread dropped. Embedded SQLite in a throwaway folder;
nothing here is a test assertion.
"""

import statistics
import time

import bootstrap  # starts Django: must come before Django imports
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings

ROUNDS, PER_ROUND = bootstrap.ROUNDS, bootstrap.PER_ROUND
MIDDLEWARE = "apps.partners.request_logs.RequestLogMiddleware"


def setup() -> str:
    call_command("migrate_all", verbosity=0)
    from apps.partners.services import api_key_create, partner_create

    partner = partner_create(name="Bench")
    return api_key_create(environment=partner.environments.get(kind="sandbox")).secret


def main() -> None:
    from apps.partners import request_logs
    from apps.partners.models import RequestLog

    key = setup()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client = Client()
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != MIDDLEWARE]):
        bare_client = Client()
        bare_client.get("/v1/partner", **auth)  # loads this client's middleware chain without the logger

    def request(using: Client) -> None:
        response = using.get("/v1/partner", **auth)
        assert response.status_code == 200, (response.status_code, response.content[:300])

    variants = {
        "off": (client, "off"),
        "middleware_removed": (bare_client, "off"),
        "thread": (client, "thread"),
        "sync": (client, "sync"),
    }
    per_round: dict[str, list[float]] = {name: [] for name in [*variants, "thread_with_writer"]}
    for round_number in range(ROUNDS + 1):
        for name, (using, mode) in variants.items():
            with override_settings(REQUEST_LOG_WRITER=mode):
                start = time.perf_counter()
                for _ in range(PER_ROUND):
                    request(using)
                elapsed = time.perf_counter() - start
                # The thread's work is not on the request path, but it is CPU (and the interpreter lock) taken
                # from the process: write it out before the next variant runs, and count it separately.
                flushed = time.perf_counter()
                assert request_logs.flush(timeout=30)
                writer_time = time.perf_counter() - flushed if mode == "thread" else 0.0
            if round_number:  # the first round warms up
                per_round[name].append(elapsed / PER_ROUND)
                if mode == "thread":
                    per_round["thread_with_writer"].append((elapsed + writer_time) / PER_ROUND)

    base = statistics.median(per_round["off"])
    print(f"baseline (logging off): {base * 1e3:.3f} ms per request")
    print(f"{'variant':<22}{'time ratio':>12}{'ms/request':>12}")
    for name, times in per_round.items():
        seconds = statistics.median(times)
        print(f"{name:<22}{seconds / base:>12.2f}{seconds * 1e3:>12.3f}")

    writer = request_logs.get_writer()
    print(
        f"rows written: {RequestLog.objects.count()} (expected {(ROUNDS + 1) * PER_ROUND * 2}), "
        f"dropped by the thread: {writer.dropped}"
    )


if __name__ == "__main__":
    main()
