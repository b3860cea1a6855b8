"""OpenAPI links (a drf-spectacular postprocessing hook): how the id an operation returns feeds the next call,
derived from the paths, so a client generator, a reader, and schemathesis' stateful phase (`make fuzz`) can
follow them: create a transfer, then read, cancel, reverse, settle it; list webhook endpoints, then rotate one.

An operation at ``/v1/things`` that creates (a 2xx ``POST``) or lists (``GET`` with ``data``) returns things
whose id is the path parameter that follows it (``/v1/things/{thing_id}``). Every operation taking that path
parameter is linked, with its other path parameters taken from the request's own path (a funding source's
``holder_id``). Ids that do not live under the path that returns them are named in ``RETURNED_IDS``.
"""

import re
from typing import Any

# operationId -> the path parameter its returned object's id fills, where the paths do not say it.
RETURNED_IDS = {"wallet_transaction_list": "transaction_id"}
_PARAMETER = re.compile(r"\{([^}]+)\}")


def _returned_id(path: str, operation_id: str, paths: dict[str, Any]) -> str | None:
    if operation_id in RETURNED_IDS:
        return RETURNED_IDS[operation_id]
    for other in paths:
        match = re.match(re.escape(path) + r"/\{([^}]+)\}", other)
        if match:
            return match.group(1)
    return None


def _success(operation: dict[str, Any], method: str) -> tuple[str, str] | None:
    """(status, JSON pointer to the id) of the response that returns the object(s), if any."""
    for status in sorted(operation.get("responses", {})):
        if not status.startswith("2"):
            continue
        if method == "post":
            return status, "/id"
        if method == "get" and operation["operationId"].endswith("_list"):
            return status, "/data/0/id"
    return None


def add_links(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    paths: dict[str, Any] = result.get("paths", {})
    takers: list[tuple[str, str, set[str]]] = [
        (path, operation["operationId"], set(_PARAMETER.findall(path)))
        for path, item in paths.items()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]
    for path, item in paths.items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            success = _success(operation, method)
            name = _returned_id(path, operation["operationId"], paths)
            if success is None or name is None:
                continue
            status, pointer = success
            own = set(_PARAMETER.findall(path))
            links = {}
            for _target_path, target_id, needed in takers:
                if name not in needed or not needed - {name} <= own or target_id == operation["operationId"]:
                    continue
                parameters = {name: f"$response.body#{pointer}"}
                parameters.update({other: f"$request.path.{other}" for other in sorted(needed - {name})})
                links[target_id] = {"operationId": target_id, "parameters": parameters}
            if links:
                operation["responses"][status]["links"] = dict(sorted(links.items()))
    return result
