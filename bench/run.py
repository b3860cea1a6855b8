"""Request-path benchmarks, reported as ratios to a baseline measured in the same run (see bench/README.md)."""

import json
import statistics
import time
import tracemalloc

import bootstrap  # starts Django: must come before Django imports
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client

ROUNDS, PER_ROUND = bootstrap.ROUNDS, bootstrap.PER_ROUND


def setup() -> tuple[str, str]:
    call_command("migrate_all", verbosity=0)
    from apps.core.ids import new_public_id
    from apps.events.services import record
    from apps.partners.services import api_key_create, partner_create

    partner = partner_create(name="Bench")
    sandbox = partner.environments.get(kind="sandbox")

    class Thing:
        object_name = "thing"

        def __init__(self) -> None:
            self.public_id = new_public_id("thg")

        def event_data(self) -> dict:
            return {"id": self.public_id}

    with transaction.atomic():
        for _ in range(60):
            record(type="thing.updated", partner=partner, environment=sandbox, obj=Thing())
    key = api_key_create(environment=sandbox).secret
    return key, key[:-1] + ("A" if key[-1] != "A" else "B")


def measure(request, before=None) -> tuple[float, int]:
    """Median seconds per request over ROUNDS rounds, and peak bytes allocated by one request."""
    for _ in range(20):
        request()
    per_round = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(PER_ROUND):
            if before:
                before()
            request()
        per_round.append((time.perf_counter() - start) / PER_ROUND)
    tracemalloc.start()
    if before:
        before()
    tracemalloc.reset_peak()
    request()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(per_round), peak


def main() -> None:
    key, bad_key = setup()
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def expect(status, response):
        assert response.status_code == status, (response.status_code, response.content[:300])

    scenarios = {
        "baseline_health": (lambda: expect(200, client.get("/health/")), None),
        "partner_cached_key": (lambda: expect(200, client.get("/v1/partner", **auth)), None),
        "partner_cold_key": (lambda: expect(200, client.get("/v1/partner", **auth)), cache.clear),
        "events_page_20": (lambda: expect(200, client.get("/v1/events?limit=20", **auth)), None),
        "malformed_key_401": (
            lambda: expect(401, client.get("/v1/partner", HTTP_AUTHORIZATION=f"Bearer {bad_key}")),
            None,
        ),
    }
    results = {name: measure(req, before) for name, (req, before) in scenarios.items()}
    base_time, base_mem = results["baseline_health"]
    report = {}
    print(f"baseline: {base_time * 1e3:.3f} ms and {base_mem} B per request")
    print(f"{'scenario':<22}{'time ratio':>12}{'memory ratio':>14}")
    for name, (seconds, peak) in results.items():
        report[name] = {
            "time_ratio": round(seconds / base_time, 2),
            "memory_ratio": round(peak / base_mem, 2),
            "ms_per_request": round(seconds * 1e3, 3),
            "peak_bytes": peak,
        }
        print(f"{name:<22}{seconds / base_time:>12.2f}{peak / base_mem:>14.2f}")
    out = bootstrap.ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
