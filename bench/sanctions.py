"""Sanctions screening speed: `python bench/sanctions.py [--entries 20000] [--names 2000] [--seed 19]`.

Builds a deterministic list of ``--entries`` entries (Faker, seeded, names from several locales including
Cyrillic, Arabic and Chinese ones; a third of the entries with one or two aliases, half with a date of birth),
then screens ``--names`` names against it with ``apps.risk.matcher.Matcher`` (the in-memory matcher the
transfer path uses): half are listed names with one typo, reordered or transliterated, half are names not on
the list. Prints the time to build the matcher, p50 and p99 per screened name (wall clock, and the thread's
CPU time, which a machine shared with other work inflates less), the same for a brute-force
reference in the same run (rapidfuzz ``process.extract`` of the sorted words over every listed name, no
blocking) and the ratio between them, the share of listed names found, and one JSON line. No database; nothing
here is a test assertion.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "ru_RU", "ar_AA", "zh_CN", "tr_TR", "fa_IR")


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p99_ms": round(ordered[max(int(len(ordered) * 0.99) - 1, 0)] * 1000, 3),
    }


def _typo(rng: random.Random, name: str) -> str:
    letters = [i for i, char in enumerate(name) if char.isalpha()]
    if not letters:
        return name
    i = rng.choice(letters)
    action = rng.choice(("swap", "drop", "double", "reorder"))
    if action == "swap" and i + 1 < len(name):
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if action == "drop":
        return name[:i] + name[i + 1 :]
    if action == "double":
        return name[:i] + name[i] + name[i:]
    return " ".join(reversed(name.split()))


def build_list(entries: int, seed: int):  # type: ignore[no-untyped-def]
    from faker import Faker

    from apps.risk.matcher import ListedEntry

    fakers = [Faker(locale) for locale in LOCALES]
    for number, faker in enumerate(fakers):
        faker.seed_instance(seed + number)
    rng = random.Random(seed)
    listed = []
    for uid in range(entries):
        faker = fakers[uid % len(fakers)]
        names = [faker.name()]
        if rng.random() < 0.33:
            names += [faker.name() for _ in range(rng.randint(1, 2))]
        dobs = (faker.date_of_birth(minimum_age=20, maximum_age=90).isoformat(),) if rng.random() < 0.5 else ()
        listed.append(ListedEntry(list_id=1, source="bench", uid=str(uid), kind="individual", names=tuple(names),
                                  dates_of_birth=dobs))  # fmt: skip
    return listed, fakers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--names", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()

    import django

    django.setup()
    from rapidfuzz import fuzz, process

    from apps.risk.matcher import HIT_THRESHOLD, Matcher
    from apps.risk.normalise import normalise

    listed, fakers = build_list(args.entries, args.seed)
    started = time.perf_counter()
    matcher = Matcher(listed)
    build_seconds = time.perf_counter() - started
    rng = random.Random(args.seed + 1)
    queries: list[tuple[str, str | None]] = []
    for number in range(args.names):
        if number % 2 == 0:
            entry = listed[rng.randrange(len(listed))]
            queries.append((_typo(rng, rng.choice(entry.names)), entry.uid))
        else:
            queries.append((fakers[rng.randrange(len(fakers))].name(), None))
    for name, _ in queries[:50]:  # warm up
        matcher.screen(name)
    samples, cpu, found, expected = [], [], 0, 0
    for name, uid in queries:
        started, started_cpu = time.perf_counter(), time.thread_time()
        matches = matcher.screen(name)
        samples.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - started_cpu)
        if uid is not None:
            expected += 1
            found += any(match.entry.uid == uid for match in matches)
    keys = [normalise(name).key for entry in listed for name in entry.names]
    brute = []
    for name, _ in queries[: max(100, args.names // 10)]:
        started = time.perf_counter()
        process.extract(normalise(name).key, keys, scorer=fuzz.ratio, score_cutoff=HIT_THRESHOLD, limit=5)
        brute.append(time.perf_counter() - started)
    indexed, reference = _percentiles(samples), _percentiles(brute)
    result = {
        "entries": args.entries,
        "names_indexed": len(keys),
        "build_s": round(build_seconds, 2),
        "screen": indexed,
        "screen_cpu": _percentiles(cpu),
        "brute_force": reference,
        "p99_ratio_to_brute_force": round(indexed["p99_ms"] / reference["p99_ms"], 3),
        "listed_found": round(found / expected, 3),
    }
    print(f"list: {args.entries} entries, {len(keys)} names; matcher built in {build_seconds:.2f} s")
    print(f"screen one name:        p50 {indexed['p50_ms']} ms, p99 {indexed['p99_ms']} ms ({len(samples)} names)")
    print(f"  CPU time of the thread: p50 {result['screen_cpu']['p50_ms']} ms, p99 {result['screen_cpu']['p99_ms']} ms")
    print(f"brute force reference:  p50 {reference['p50_ms']} ms, p99 {reference['p99_ms']} ms ({len(brute)} names)")
    print(f"p99 ratio indexed / brute force: {result['p99_ratio_to_brute_force']}")
    print(f"listed names (with a typo, reordered) found: {result['listed_found']:.1%}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
