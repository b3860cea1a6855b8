"""Build the SDKs and the Postman collection from docs/openapi.yaml (``make sdk``; ``make sdk-check`` in CI).

- ``sdks/python``: openapi-python-client (pinned in pyproject.toml) generates the typed client, then the
  hand-written modules in ``sdks/extras/python`` (retries, idempotency keys, paging, webhook verification)
  are copied in. Generated in a scratch directory and copied, so the repository's ruff settings never apply.
- ``sdks/typescript/src/schema.ts``: openapi-typescript (pinned in sdks/package.json) generates the types that
  the hand-written client in ``sdks/typescript/src`` uses with openapi-fetch; ``tsc`` builds ``dist/``.
- ``sdks/postman``: openapi-to-postmanv2 generates the collection (``sdks/postman.cjs``: its faker seeded, its
  random ids removed, so the output only changes when the schema does), and the sandbox environment.

All generated files are committed. ``--check`` regenerates into a scratch copy and fails when the committed
files differ (the schema changed without ``make sdk``). Needs ``npm ci --prefix sdks`` first.
"""

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SDKS = ROOT / "sdks"
SCHEMA = ROOT / "docs" / "openapi.yaml"
NODE_BIN = SDKS / "node_modules"
SDK_VERSION = "1.0.0"
SANDBOX_BASE_URL = "http://127.0.0.1:8000"


def run(*args: str | Path, cwd: Path = ROOT) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run([str(a) for a in args], cwd=cwd, check=True, env=env, stdout=subprocess.DEVNULL)


def api_version() -> str:
    schema = yaml.safe_load(SCHEMA.read_text())
    return schema["info"]["x-api-version"]


def python_sdk(out: Path, version: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "python"
        run(
            Path(sys.executable).parent / "openapi-python-client",
            "generate",
            "--path",
            SCHEMA,
            "--config",
            SDKS / "python-generator.yaml",
            "--output-path",
            target,
            "--meta",
            "setup",
        )
        package = target / "causeway_sdk"
        for source in (SDKS / "extras" / "python" / "causeway_sdk").glob("*.py"):
            shutil.copy(source, package / source.name)
        shutil.copy(SDKS / "extras" / "python" / "README.md", target / "README.md")
        (package / "_version.py").write_text(
            '"""Written by sdks/generate.py."""\n\n'
            f'SDK_VERSION = "{SDK_VERSION}"\n#: The API version the models describe (sent as Causeway-Version).\n'
            f'API_VERSION = "{version}"\n'
        )
        init = package / "__init__.py"
        init.write_text(
            init.read_text().rstrip()
            + "\n\nfrom ._version import API_VERSION, SDK_VERSION\n"
            + "from .causeway import ApiError, RetryTransport, connect, new_idempotency_key, paginate\n"
            + "from .webhooks import WebhookVerificationError\n"
        )
        run(
            Path(sys.executable).parent / "ruff",
            "check",
            ".",
            "--fix-only",
            "--quiet",
            "--isolated",
            "--no-cache",
            cwd=target,
        )
        run(Path(sys.executable).parent / "ruff", "format", ".", "--quiet", "--isolated", "--no-cache", cwd=target)
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(target, out)


def typescript_sdk(out: Path, version: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    run("node", NODE_BIN / "openapi-typescript" / "bin" / "cli.js", SCHEMA, "-o", out / "schema.ts")
    (out / "version.ts").write_text(
        "// Written by sdks/generate.py.\n"
        f'export const SDK_VERSION = "{SDK_VERSION}";\n'
        "/** The API version the types describe (sent as Causeway-Version). */\n"
        f'export const API_VERSION = "{version}";\n'
    )


def _strip_ids(value: object) -> object:
    if isinstance(value, dict):
        # Saved example responses are faked (random dates and enums): the requests are what the collection is for.
        return {k: _strip_ids(v) for k, v in value.items() if k not in ("id", "_postman_id", "response")}
    if isinstance(value, list):
        return [_strip_ids(v) for v in value]
    return value


def postman(out: Path, version: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "collection.json"
        run("node", SDKS / "postman.cjs", SCHEMA, raw)
        collection = _strip_ids(json.loads(raw.read_text()))
    assert isinstance(collection, dict)
    collection["auth"] = {"type": "bearer", "bearer": [{"key": "token", "value": "{{secretKey}}", "type": "string"}]}
    collection["variable"] = [{"key": "baseUrl", "value": SANDBOX_BASE_URL, "type": "string"}]
    collection.setdefault("info", {})["description"] = (
        f"Causeway API {version}. Import with the sandbox environment (causeway-sandbox.postman_environment.json) "
        "and set secretKey to a sandbox secret key from the portal."
    )
    (out / "causeway.postman_collection.json").write_text(json.dumps(collection, indent=2, sort_keys=True) + "\n")
    environment = {
        "name": "Causeway sandbox",
        "values": [
            {"key": "baseUrl", "value": SANDBOX_BASE_URL, "type": "default", "enabled": True},
            {"key": "secretKey", "value": "cw_sk_sandbox_...", "type": "secret", "enabled": True},
            {"key": "causewayVersion", "value": version, "type": "default", "enabled": True},
        ],
        "_postman_variable_scope": "environment",
    }
    (out / "causeway-sandbox.postman_environment.json").write_text(json.dumps(environment, indent=2) + "\n")


def build(root: Path) -> None:
    version = api_version()
    python_sdk(root / "python", version)
    typescript_sdk(root / "typescript" / "src" / "generated", version)
    postman(root / "postman", version)


def _differences(left: Path, right: Path) -> list[str]:
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__", "node_modules", "dist"])
    found = [str(left / n) for n in comparison.left_only + comparison.right_only + comparison.diff_files]
    for name in comparison.common_dirs:
        found += _differences(left / name, right / name)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when the committed output is stale")
    args = parser.parse_args()
    if not (NODE_BIN / "openapi-typescript").is_dir():
        print("sdks/node_modules is missing: run `npm ci --prefix sdks` (make sdk does).", file=sys.stderr)
        return 2
    if not args.check:
        build(SDKS)
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch)
        build(fresh)
        stale = []
        for part in ("python", "typescript/src/generated", "postman"):
            stale += _differences(SDKS / part, fresh / part)
    if stale:
        print("The SDKs are stale (run `make sdk` and commit):\n  " + "\n  ".join(sorted(stale)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
