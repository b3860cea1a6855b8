"""Code samples for every operation of the API reference (``x-codeSamples``, shown by Redoc): curl, the Python
SDK and the TypeScript SDK (docs/sdks.md), generated from the operation itself, never written per view.

A drf-spectacular post-processing hook: for each operation it reads the method, the path, the path parameters,
a required ``Idempotency-Key``, the request body's component and its first example, and writes the three calls
with the names the SDK generators give them (the Python module ``causeway_sdk.api.<tag>.<operationId>`` and
the body model named after the component; the TypeScript path and method). ``tests/sdks/test_code_samples.py``
checks every Python sample against the generated SDK.
"""

import json
import re
from typing import Any

BASE_URL = "http://127.0.0.1:8000"
SECRET_KEY = "cw_sk_sandbox_..."
_METHODS = ("get", "post", "put", "patch", "delete")
# Sample ids for path parameters, by the prefix of the object they name (docs/conventions.md).
_PREFIXES = {
    "consent": "cons",
    "event": "evt",
    "funding_source": "fs",
    "holder": "ph",
    "quote": "fxq",
    "reversal": "trr",
    "transaction": "txn",
    "transfer": "tr",
    "wallet": "wal",
    "endpoint": "we",
    "webhook_endpoint": "we",
    "card_transaction": "ctx",
    "delivery": "whd",
}


def snake(text: str) -> str:
    return re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()


def _sample_id(name: str) -> str:
    base = name.removesuffix("_id")
    prefix = _PREFIXES.get(base) or _PREFIXES.get(base.rsplit("_", 1)[-1])
    return f"{prefix}_..." if prefix else f"{base}_..."


def _request_body(operation: dict[str, Any]) -> tuple[str | None, Any]:
    """The body's component name (None when inline or absent) and an example body ({} without one)."""
    content = (operation.get("requestBody") or {}).get("content", {}).get("application/json")
    if content is None:
        return None, None
    ref = content.get("schema", {}).get("$ref", "")
    examples: dict[str, Any] = content.get("examples") or {}
    first: dict[str, Any] = next(iter(examples.values()), {})
    example = first.get("value", {})
    return (ref.rsplit("/", 1)[-1] or None), example


def _needs_key(operation: dict[str, Any]) -> bool:
    return any(
        p.get("in") == "header" and p.get("name") == "Idempotency-Key" and p.get("required")
        for p in operation.get("parameters", [])
    )


def _authenticated(operation: dict[str, Any]) -> bool:
    security = operation.get("security")
    return security is None or any(requirement for requirement in security)


def _curl(method: str, path: str, operation: dict[str, Any], body: Any) -> str:
    lines = [f'curl -X {method.upper()} "{BASE_URL}{path}"']
    if _authenticated(operation):
        lines.append('  -H "Authorization: Bearer $CAUSEWAY_SECRET_KEY"')
    if _needs_key(operation) or (method == "post" and body is not None):
        lines.append('  -H "Idempotency-Key: $(uuidgen)"')
    if body is not None:
        lines.append('  -H "Content-Type: application/json"')
        lines.append(f"  -d '{json.dumps(body)}'")
    return " \\\n".join(lines)


def _python(operation_id: str, tag: str, path_params: list[str], operation: dict[str, Any], model: Any) -> str:
    component, body = model
    imports = ["from causeway_sdk import connect" + (", new_idempotency_key" if _needs_key(operation) else "")]
    imports.append(f"from causeway_sdk.api.{snake(tag)} import {operation_id}")
    arguments = ["client=client", *(f'{name}="{_sample_id(name)}"' for name in path_params)]
    if component is not None:
        imports.append(f"from causeway_sdk.models import {component}")
        arguments.append(f"body={component}.from_dict({json.dumps(body or {})})")
    elif body is not None:
        arguments.append(f"body={json.dumps(body)}")
    if _needs_key(operation):
        arguments.append("idempotency_key=new_idempotency_key()")
    call = f"{operation_id}.sync(\n    " + ",\n    ".join(arguments) + ",\n)"
    return "\n".join(
        [*imports, "", f'client = connect(api_key="{SECRET_KEY}", base_url="{BASE_URL}")', f"result = {call}"]
    )


def _typescript(method: str, path: str, path_params: list[str], operation: dict[str, Any], body: Any) -> str:
    params = []
    if path_params:
        params.append("path: { " + ", ".join(f'{name}: "{_sample_id(name)}"' for name in path_params) + " }")
    if _needs_key(operation):
        params.append('header: { "Idempotency-Key": newIdempotencyKey() }')
    options = []
    if params:
        options.append("params: { " + ", ".join(params) + " }")
    if body is not None:
        options.append(f"body: {json.dumps(body)}")
    imports = "createCauseway" + (", newIdempotencyKey" if _needs_key(operation) else "")
    separator = ",\n  "
    argument = ", {\n  " + separator.join(options) + ",\n}" if options else ""
    return (
        f'import {{ {imports} }} from "@causeway/sdk";\n\n'
        f'const causeway = createCauseway({{ apiKey: "{SECRET_KEY}", baseUrl: "{BASE_URL}" }});\n'
        f'const {{ data, error }} = await causeway.{method.upper()}("{path}"{argument});'
    )


def _python_model(component: str | None, body: Any, schemas: dict[str, Any]) -> str | None:
    """The Python SDK's model for the body: the component's class, or for a body with variants (``oneOf``) the
    generator's ``<Component>Type<i>`` for the first variant the example satisfies."""
    variants = schemas.get(component or "", {}).get("oneOf")
    if component is None or not variants or not isinstance(body, dict):
        return component
    if not any(variant.get("properties") for variant in variants):
        return None  # variants that only require fields: the generated function takes the body as a plain dict
    for index, variant in enumerate(variants):
        constants = {k: v.get("const") for k, v in variant.get("properties", {}).items() if "const" in v}
        if all(body.get(k) == v for k, v in constants.items()) and set(variant.get("required", [])) <= set(body):
            return f"{component}Type{index}"
    return f"{component}Type0"


def add_code_samples(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: ``x-codeSamples`` on every operation."""
    schemas = result.get("components", {}).get("schemas", {})
    for path, item in result.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None or "operationId" not in operation:
                continue
            path_params = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"]
            component, body = _request_body(operation)
            model = _python_model(component, body, schemas)
            operation["x-codeSamples"] = [
                {"lang": "Shell", "label": "curl", "source": _curl(method, path, operation, body)},
                {
                    "lang": "Python",
                    "label": "Python SDK",
                    "source": _python(
                        operation["operationId"],
                        (operation.get("tags") or ["default"])[0],
                        path_params,
                        operation,
                        (model, body),
                    ),
                },
                {
                    "lang": "TypeScript",
                    "label": "TypeScript SDK",
                    "source": _typescript(method, path, path_params, operation, body),
                },
            ]
    return result
