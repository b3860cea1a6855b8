"""The BOLA and function-level authorisation matrix (docs/security.md): every operation of the API x partners A and
B x sandbox and live x a full key, a restricted key, the OAuth tokens of holders X and Y, and no credential,
sent partner A's sandbox objects; and every method a route does not answer. The expected outcome of each case
follows from the operation's line in ``matrix.OUTCOMES`` and the scopes its view declares: no credential 401,
missing scope 403, someone else's object 404, otherwise allowed. Any other answer fails, a 2xx above all.

The world is built once and the cases run in one test (a test per case would rebuild it hundreds of times).
Allowed requests that change state are not sent (their own tests send them); every refused one is, and every
allowed read is, whose answer must not carry an object the caller may not see.
"""

import uuid
from collections import Counter
from typing import Any

import pytest
from django.apps import apps as django_apps
from rest_framework.test import APIClient

from apps.core.scopes import USER_DELEGATED
from tests.security import matrix
from tests.security.world import Caller, World, build_world

pytestmark = pytest.mark.django_db

ALLOWED = "allowed"
PROBES = {
    "id": "wal_forged",
    "object": "wallet",
    "partner": "pt_forged",
    "environment": "live",
    "status": "succeeded",
    "balance": 10**9,
    "is_staff": True,
    "holder": "ph_forged",
    "created_at": "2020-01-01T00:00:00Z",
}
HOLDER_OBJECTS = (
    "holder_id",
    "wallet_id",
    "transaction_id",
    "transfer_id",
    "funding_source_id",
    "card_transaction_id",
    "verification_id",
)
PARTNER_OBJECTS = ("event_id", "endpoint_id", "consent_id", "quote_id", "offer_id")


@pytest.fixture
def world(db) -> World:
    world = build_world()
    owner = _client(world.owner("full_key"))
    body = {
        "wallet": world.ids["wallet_id"],
        "amount": 100,
        "currency": "USD",
        "merchant": {"name": "Diner", "category": "dining"},
    }
    response = owner.post("/v1/sandbox/card_transactions", body, format="json")
    assert response.status_code == 201, response.content
    world.ids["card_transaction_id"] = response.json()["id"]
    return world


def _client(caller: Caller) -> APIClient:
    client = APIClient()
    if caller.secret is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {caller.secret}")
    return client


def expected(outcome: str, scopes: frozenset[str], caller: Caller, path: str = "", view: Any = None) -> int | str:
    if outcome == matrix.PUBLIC:
        return 200
    if caller.secret is None:
        return 401
    if path.startswith("/v1/sandbox/") and caller.environment != "sandbox":
        return 404  # the simulations exist only in sandbox, whatever the credential holds
    if caller.holder is not None and matrix.partner_credential_only(view):
        return 403  # a holder's token never manages the partner's offers or points programme
    live_key = caller.holder is None and caller.environment == "live"
    if live_key and matrix.holder_data_view(view) and scopes & USER_DELEGATED:
        return 403  # a live key never holds a holder-delegated scope: live holders are reached by their consent
    if not scopes <= caller.scopes:
        return 403
    if outcome == matrix.OWN or caller.sees("X" if outcome == matrix.HOLDER else None):
        return ALLOWED
    return 404


def _ids_by_prefix(world: World) -> dict[str, list[str]]:
    by_prefix: dict[str, list[str]] = {}
    for name in (*world.ids, "payee_wallet"):
        value = world.ids[name]
        if name == "payee_wallet":
            by_prefix["wal"].append(value)
        else:
            by_prefix.setdefault(value.split("_", 1)[0], []).insert(0, value)
    return by_prefix


def _request(client: APIClient, method: str, url: str, body: dict | None) -> Any:
    """One request, with a new Idempotency-Key (a replay must never stand in for an answer)."""
    send = getattr(client, method.lower())
    headers = {"HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex}
    if body is None:
        return send(url, **headers)
    return send(url, body, format="json", **headers)


def _hidden_ids(world: World, caller: Caller) -> list[str]:
    """The owner's object ids this caller must never be shown."""
    hidden = [] if caller.sees("X") else [world.ids[name] for name in HOLDER_OBJECTS]
    return hidden + ([] if caller.is_owner else [world.ids[name] for name in PARTNER_OBJECTS])


class TestTheRouteInventory:
    def test_every_route_is_in_the_schema_or_allowlisted_with_a_reason(self):
        paths = matrix.schema()["paths"]
        unaccounted = [
            r.path for r in matrix.routes() if r.path not in paths and matrix.why_not_in_schema(r.path) is None
        ]

        assert unaccounted == []

    def test_every_schema_operation_is_a_route_method_and_has_an_expected_outcome(self):
        served = {f"{m} {route.path}" for route in matrix.api_routes() for m in route.methods}
        operations = set(matrix.operations())

        assert operations == served
        assert sorted(operations - set(matrix.OUTCOMES)) == []
        assert sorted(set(matrix.OUTCOMES) - operations) == []

    def test_nothing_under_v1_is_outside_the_schema_but_the_schema_and_its_viewers(self):
        outside = [r.path for r in matrix.routes() if r.path.startswith("/v1/") and r not in matrix.api_routes()]

        assert sorted(outside) == ["/v1/docs/", "/v1/redoc/", "/v1/schema/"]


class TestAuthorisationMatrix:
    def test_every_caller_gets_the_expected_outcome_on_every_operation_and_method(self, world):
        ids_by_prefix = _ids_by_prefix(world)
        clients = {caller: _client(caller) for caller in world.callers}
        operations = matrix.operations()
        wrong: list[str] = []
        tally: Counter[str] = Counter()
        for route in matrix.api_routes():
            url = route.path.format(**world.ids)
            for method in matrix.METHODS:
                key = f"{method} {route.path}"
                if method not in route.methods:
                    # 405 comes before the credential is looked at (docs/rate-limits.md), so two callers suffice.
                    for caller in (world.owner("none"), world.owner("full_key")):
                        tally["405"] += 1
                        status = _request(clients[caller], method, url, {}).status_code
                        if status != 405:
                            wrong.append(f"{caller.name} {key}: {status}, expected 405")
                    continue
                example = matrix.request_example(operations[key])
                body = None if example is None else matrix.with_ids(example, ids_by_prefix)
                for caller in world.callers:
                    want = expected(matrix.OUTCOMES[key], route.scopes(method), caller, route.path, route.view)
                    if want == ALLOWED and method != "GET":
                        tally["allowed, not sent"] += 1
                        continue
                    tally[str(want)] += 1
                    response = _request(clients[caller], method, url, body)
                    status = response.status_code
                    if want == ALLOWED:
                        leaked = [i for i in _hidden_ids(world, caller) if i in response.content.decode()]
                        if not 200 <= status < 300 or leaked:
                            wrong.append(f"{caller.name} {key}: {status}, expected 2xx, leaked {leaked}")
                    elif status != want:
                        wrong.append(f"{caller.name} {key}: {status} {response.content[:120]!r}, expected {want}")

        assert wrong == [], "\n".join(wrong)
        assert sum(tally.values()) > 1000, tally


def _fingerprint(world: World) -> tuple:
    counts = tuple(
        (model._meta.label, model._default_manager.count())
        for model in django_apps.get_models()
        if model._meta.app_label not in ("sessions", "contenttypes") and model.__name__ != "RequestLog"
    )
    rows = tuple(repr(type(obj)._default_manager.filter(pk=obj.pk).values().first()) for obj in world.objects.values())
    return counts, rows


def _documented_fields(operation: dict[str, Any]) -> set[str]:
    content = (operation.get("requestBody") or {}).get("content", {}).get("application/json", {})
    body_schema = content.get("schema", {})
    ref = body_schema.get("$ref", "")
    if ref:
        body_schema = matrix.schema()["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return set(body_schema.get("properties", {}))


class TestMassAssignment:
    def test_every_writable_operation_refuses_every_forged_field_and_changes_nothing(self, world):
        ids_by_prefix = _ids_by_prefix(world)
        operations = matrix.operations()
        wrong: list[str] = []
        probes = 0
        for route in matrix.api_routes():
            for method in ("POST", "PATCH", "PUT"):
                key = f"{method} {route.path}"
                if key not in operations:
                    continue
                caller = next(
                    c
                    for c in world.callers
                    if c.is_owner
                    and expected(matrix.OUTCOMES[key], route.scopes(method), c, route.path, route.view) == ALLOWED
                    and c.credential in ("full_key", "token_x")
                )
                example = matrix.request_example(operations[key]) or {}
                documented = _documented_fields(operations[key])
                url = route.path.format(**world.ids)
                before = _fingerprint(world)
                for field, value in PROBES.items():
                    if field in documented:
                        continue
                    probes += 1
                    body = {**matrix.with_ids(example, ids_by_prefix), field: value}
                    response = _request(_client(caller), method, url, body)
                    problem = response.json() if response.status_code == 400 else {}
                    refused = {(e.get("field"), e.get("code")) for e in problem.get("errors", [])}
                    if response.status_code != 400 or (field, "parameter_unknown") not in refused:
                        wrong.append(f"{caller.name} {key} +{field}: {response.status_code} {response.content[:160]!r}")
                # Counted once per operation: every probe was refused, so together they must have written nothing.
                if _fingerprint(world) != before:
                    wrong.append(f"{caller.name} {key}: a refused probe wrote something")

        assert wrong == [], "\n".join(wrong)
        assert probes > 100
