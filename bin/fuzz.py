"""``make fuzz``: schemathesis runs the committed schema (docs/openapi.yaml) against a live server, with every
check and every phase (examples, coverage, fuzzing, and the stateful phase the schema's links drive), and fails
on any failure (README, "CI").

The server is a fresh embedded-default Causeway (SQLite in a scratch directory, the demo partner seeded by
``sandbox_quickstart``) under gunicorn on a free loopback port, with rate limits raised out of the way (a 429
is documented on every operation, but throttled requests test nothing). Three runs:

1. the operations a holder can delegate (``x-required-scopes`` within the user-delegated scopes) with an
   OAuth access token of the persona ``user_good``, obtained through the real consent screen (sign in,
   approve both wallets, exchange the code with PKCE);
2. every operation but the sandbox's fault setting with the demo partner's fresh sandbox secret key (it may
   revoke that consent or reset the sandbox);
3. the fault setting's three operations (``/v1/sandbox/faults``) with that key, alone and last: once a fault is
   set, every other request of the sandbox may be answered with the injected error (see ``main``).

Path parameters get the seeded objects' ids (and a p2p transfer made for the run, so transfer lists are not empty),
so requests reach the views instead of stopping at 404.
Deterministic (``--generation-deterministic`` with a fixed seed) so CI is stable. ``--time-limit`` bounds the
whole run: a run still going then is stopped and counts as a failure, so CI never waits on a slow machine
forever. ``make fuzz-ci`` is what CI runs: ``--max-examples 5 --time-limit 600`` (and the default 25 stateful
scenarios).

    .venv/bin/python bin/fuzz.py [--max-examples N] [--time-limit SECONDS] [--keep] [--database-from DIR]
"""

import argparse
import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import yaml
from fuzz_oauth import holder_token

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SCHEMA = ROOT / "docs" / "openapi.yaml"
ST = Path(PY).parent / "st"
USER_DELEGATED = {"accounts:read", "balances:read", "transactions:read", "transfers:read", "transfers:write"}
SEED = 16
FAULTS_OPERATIONS = ["sandbox_faults_retrieve", "sandbox_faults_set", "sandbox_faults_delete"]


def log(message: str) -> None:
    sys.stderr.write(f"fuzz: {message}\n")
    sys.stderr.flush()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(var_dir: Path, base_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DEBUG="false",
        CAUSEWAY_VAR_DIR=str(var_dir),
        CAUSEWAY_BASE_URL=base_url,
        PYTHONPATH=str(ROOT),
    )
    for bucket in ("SANDBOX_READ", "SANDBOX_WRITE", "UNAUTHENTICATED", "OAUTH_TOKEN", "SIGNIN"):
        env[f"RATE_LIMIT_{bucket}"] = "1000000"
    return env


def wait_ready(base_url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("fuzz: the server exited before it was ready")
        try:
            if httpx.get(f"{base_url}/v1/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("fuzz: the server did not answer in time")


def delegated_operations() -> list[str]:
    """operationIds of the operations a holder's token may call (all their scopes are user-delegated)."""
    schema = yaml.safe_load(SCHEMA.read_text())
    return sorted(
        operation["operationId"]
        for item in schema["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        and operation.get("x-required-scopes")
        and set(operation["x-required-scopes"]) <= USER_DELEGATED
    )


def seeded_transfer(base_url: str, key: str, payer: dict[str, Any], payee: dict[str, Any]) -> str:
    """A p2p transfer from ``payer``'s first wallet to ``payee``'s wallet in its currency, so that the transfer
    lists the stateful phase starts from are not empty and its links (reversals, cancel, retrieve) resolve."""
    source = payer["wallets"][0]
    destination = next(w for w in payee["wallets"] if w["currency"] == source["currency"])
    response = httpx.post(
        f"{base_url}/v1/transfers",
        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": f"fuzz-seed-{SEED}"},
        json={
            "type": "p2p",
            "source": source["id"],
            "destination": destination["id"],
            "amount": 100,
            "currency": source["currency"],
            "description": "Seeded for the fuzz run",
        },
        timeout=30,
    )
    response.raise_for_status()
    return str(response.json()["id"])


def seeded_parameters(base_url: str, key: str, persona: dict[str, Any], transfer: str) -> dict[str, str]:
    """Real ids for the path parameters that name seeded objects (the rest come from the schema's links)."""
    headers = {"Authorization": f"Bearer {key}"}
    wallet = persona["wallets"][0]["id"]
    transactions = httpx.get(f"{base_url}/v1/wallets/{wallet}/transactions?limit=1", headers=headers, timeout=30)
    transactions.raise_for_status()
    sources = httpx.get(f"{base_url}/v1/wallet_holders/{persona['holder']}/funding_sources", headers=headers)
    sources.raise_for_status()
    parameters = {"path.holder_id": persona["holder"], "path.wallet_id": wallet, "path.transfer_id": transfer}
    if transactions.json()["data"]:
        parameters["path.transaction_id"] = transactions.json()["data"][0]["id"]
    if sources.json()["data"]:
        parameters["path.funding_source_id"] = sources.json()["data"][0]["id"]
    return parameters


def write_config(path: Path, *, parameters: dict[str, str], max_examples: int, stateful_examples: int) -> None:
    """The run's configuration. No NUL characters are generated: every one is refused before any view runs
    (400 ``nul_character``, tests/core/test_input_guards.py), so they would only hide the rest of a request.
    The stateful phase gets its own number of scenarios: they are cheap, and each follows links the others
    do not."""
    generation = ["deterministic = true", "allow-x00 = false"]
    lines = [
        f"seed = {SEED}",
        # No state carried between runs (replayed crashes, learnt examples): every run is the same run.
        "[cache]",
        "enabled = false",
        "[generation]",
        f"max-examples = {max_examples}",
        *generation,
        "[phases.stateful.generation]",
        f"max-examples = {stateful_examples}",
        *generation,
        "[parameters]",
        *(f'"{name}" = "{value}"' for name, value in sorted(parameters.items())),
        # 422 is the API's "well-formed, but a domain rule says no" (DESIGN: insufficient funds, a currency that
        # is not the wallet's, a quote already used): rules about the state of the objects named, which no
        # schema can state. Every other default stays; a 400 for a schema-valid request is still a failure.
        "[checks.positive_data_acceptance]",
        'expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]',
    ]
    path.write_text("\n".join(lines) + "\n")


def schemathesis(
    base_url: str,
    *,
    token: str,
    config: Path,
    reports: Path,
    name: str,
    operations: list[str] | None = None,
    exclude: list[str] | None = None,
    phases: str = "examples,coverage,fuzzing,stateful",
    deadline: float | None = None,
) -> int:
    command = [
        str(ST),
        "--config-file",
        str(config),
        "run",
        str(SCHEMA),
        "--url",
        base_url,
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        "all",
        "--phases",
        phases,
        "--workers",
        "1",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(reports / name),
    ]
    for operation_id in operations or ():
        command += ["--include-operation-id", operation_id]
    for operation_id in exclude or ():
        command += ["--exclude-operation-id", operation_id]
    log(f"run {name}: {len(operations) if operations else 'all'} operations")
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "fuzz_hooks",
        "PYTHONPATH": str(ROOT / "bin"),
        "FUZZ_WEBHOOK_URL": f"{base_url}/health/",
    }
    timeout = None if deadline is None else max(deadline - time.monotonic(), 1)
    try:
        return subprocess.run(command, cwd=config.parent, env=env, check=False, timeout=timeout).returncode  # noqa: S603
    except subprocess.TimeoutExpired:
        log(f"run {name} stopped: over the time limit")
        return 1


def migrate(env: dict[str, str]) -> None:
    """``migrate_all``, with the embedded default's two SQLite databases migrated at the same time (each is its
    own file, so the two runs do not contend; together they were most of the setup time)."""
    aliases = ("default", "aux")
    runs = [
        subprocess.Popen(  # noqa: S603
            [PY, "manage.py", "migrate", "--database", alias, "--no-input", "--skip-checks"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for alias in aliases
    ]
    if any(run.wait() for run in runs):
        raise SystemExit("fuzz: migrating failed")
    for alias in aliases:
        subprocess.run(  # noqa: S603
            [PY, "manage.py", "createcachetable", "--database", alias], cwd=ROOT, env=env, check=True
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("FUZZ_MAX_EXAMPLES", "10")))
    parser.add_argument("--stateful-examples", type=int, default=int(os.environ.get("FUZZ_STATEFUL_EXAMPLES", "25")))
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (database, logs)")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=float(os.environ.get("FUZZ_TIME_LIMIT", "0")) or None,
        help="seconds for the whole run; a run still going then is stopped and counts as a failure",
    )
    parser.add_argument(
        "--database-from", type=Path, help="start from the SQLite files of a kept run instead of migrating (faster)"
    )
    args = parser.parse_args()

    started = time.monotonic()
    deadline = None if args.time_limit is None else started + args.time_limit
    var_dir = Path(tempfile.mkdtemp(prefix="causeway-fuzz-"))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = server_env(var_dir, base_url)
    server: subprocess.Popen | None = None
    try:
        if args.database_from:
            for database in args.database_from.glob("causeway*.sqlite3"):
                shutil.copy(database, var_dir / database.name)
        else:
            log(f"migrating and seeding in {var_dir}")
            migrate(env)
        log(f"migrated in {time.monotonic() - started:.0f}s")
        quickstart = json.loads(
            subprocess.run(  # noqa: S603
                [PY, "manage.py", "sandbox_quickstart", "--json"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        with (var_dir / "server.log").open("w") as server_log:
            server = subprocess.Popen(  # noqa: S603
                [
                    str(Path(PY).parent / "gunicorn"),
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--threads",
                    "4",
                    "--no-control-socket",
                    # No request-line cap: gunicorn's own 414 (text/html, before Django) is not the API's.
                    "--limit-request-line",
                    "0",
                ],
                cwd=ROOT,
                env=env,
                stdout=server_log,
                stderr=subprocess.STDOUT,
            )
        wait_ready(base_url, server)
        persona = next(p for p in quickstart["personas"] if p["username"] == "user_good")
        payee = next(p for p in quickstart["personas"] if p["username"] == "user_multi_currency")
        key = quickstart["secret_key"]
        token = holder_token(base_url, quickstart, persona)
        config = var_dir / "schemathesis.toml"
        write_config(
            config,
            parameters=seeded_parameters(base_url, key, persona, seeded_transfer(base_url, key, persona, payee)),
            max_examples=args.max_examples,
            stateful_examples=args.stateful_examples,
        )
        log(f"ready in {time.monotonic() - started:.0f}s")
        reports = var_dir / "reports"
        run = functools.partial(schemathesis, base_url, config=config, reports=reports, deadline=deadline)
        # The holder's token first: the key's run may revoke that holder's consent or reset the sandbox.
        failed = run(token=token, name="holder-token", operations=delegated_operations())
        # The sandbox's fault setting makes every later request of this sandbox answer an injected 500, 503 or 429
        # that no operation documents (nor should: it is a test aid the partner turns on for its own retry code,
        # not something an operation does). So the key's run leaves the three faults operations out and they get
        # a run of their own, last, where only they are called (the setting is never applied to them).
        failed |= run(token=key, name="secret-key", exclude=FAULTS_OPERATIONS)
        # No links between them (they take no ids): there is no stateful phase to run, and schemathesis counts an
        # empty one as an error.
        failed |= run(
            token=key, name="sandbox-faults", operations=FAULTS_OPERATIONS, phases="examples,coverage,fuzzing"
        )
        log(f"{'FAILED' if failed else 'passed'} in {time.monotonic() - started:.0f}s")
        return 1 if failed else 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if args.keep:
            log(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
