"""The authorisation matrix's inputs, generated: every route from the URL resolver, the committed schema's
operations and request examples, and the expected-outcome table that says whose object each operation addresses.
A new route needs a line here (an operation in OUTCOMES, or a reason in NOT_IN_SCHEMA); without one the matrix
fails, so no endpoint is left out of it by accident."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.urls import URLPattern, URLResolver, get_resolver

from apps.core.permissions import scopes_required
from apps.offers.apis.offers import PartnerOffersApi
from apps.wallets.apis.base import HolderDataApi

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# What an operation addresses, and so who may reach it:
HOLDER = "holder"  # an object of the owner's holder X (in the path or the body): the owner's keys and X's token
PARTNER = "partner"  # an object of the owner partner's environment: the owner's credentials only
OWN = "own"  # nothing of anyone else: every caller with the scopes acts on its own environment
PUBLIC = "public"  # no credential needed

# The expected-outcome table: every operation of the schema, by method and path template.
OUTCOMES: dict[str, str] = {
    "GET /v1/": PUBLIC,
    "GET /v1/partner": OWN,
    "GET /v1/events": OWN,
    "GET /v1/events/{event_id}": PARTNER,
    "GET /v1/consents": OWN,
    "GET /v1/consents/{consent_id}": PARTNER,
    "POST /v1/consents/{consent_id}/revoke": PARTNER,
    "GET /v1/fx/quotes/{quote_id}": PARTNER,
    "POST /v1/fx/quotes": OWN,
    "GET /v1/transfers": OWN,
    "POST /v1/transfers": HOLDER,
    "GET /v1/transfers/{transfer_id}": HOLDER,
    "POST /v1/transfers/{transfer_id}/cancel": HOLDER,
    "GET /v1/transfers/{transfer_id}/reversals": HOLDER,
    "POST /v1/transfers/{transfer_id}/reversals": HOLDER,
    "GET /v1/wallet_holders": OWN,
    "GET /v1/wallet_holders/{holder_id}": HOLDER,
    "GET /v1/wallets": OWN,
    "GET /v1/wallets/{wallet_id}": HOLDER,
    "GET /v1/wallets/{wallet_id}/balances": HOLDER,
    "GET /v1/wallets/{wallet_id}/transactions": HOLDER,
    "GET /v1/transactions/{transaction_id}": HOLDER,
    "GET /v1/wallet_holders/{holder_id}/funding_sources": HOLDER,
    "POST /v1/wallet_holders/{holder_id}/funding_sources": HOLDER,
    "POST /v1/wallet_holders/{holder_id}/funding_sources/reorder": HOLDER,
    "GET /v1/wallet_holders/{holder_id}/funding_sources/{funding_source_id}": HOLDER,
    "DELETE /v1/wallet_holders/{holder_id}/funding_sources/{funding_source_id}": HOLDER,
    "GET /v1/wallet_holders/{holder_id}/verifications": HOLDER,
    "POST /v1/wallet_holders/{holder_id}/verifications": HOLDER,
    "GET /v1/wallet_holders/{holder_id}/verifications/{verification_id}": HOLDER,
    "GET /v1/webhook_endpoints": OWN,
    "POST /v1/webhook_endpoints": OWN,
    "GET /v1/webhook_endpoints/{endpoint_id}": PARTNER,
    "PATCH /v1/webhook_endpoints/{endpoint_id}": PARTNER,
    "DELETE /v1/webhook_endpoints/{endpoint_id}": PARTNER,
    "POST /v1/webhook_endpoints/{endpoint_id}/rotate_secret": PARTNER,
    "POST /v1/webhook_endpoints/{endpoint_id}/replay": PARTNER,
    "POST /v1/webhook_endpoints/{endpoint_id}/resend": PARTNER,
    "POST /v1/webhook_endpoints/{endpoint_id}/test": PARTNER,
    "GET /v1/webhook_endpoints/{endpoint_id}/deliveries": PARTNER,
    "POST /v1/sandbox/reset": OWN,
    "GET /v1/sandbox/clock": OWN,
    "POST /v1/sandbox/clock/advance": OWN,
    "POST /v1/sandbox/deposits": HOLDER,
    "POST /v1/sandbox/card_transactions": HOLDER,
    "POST /v1/sandbox/card_transactions/{card_transaction_id}/post": HOLDER,
    "POST /v1/sandbox/card_transactions/{card_transaction_id}/reverse": HOLDER,
    "POST /v1/sandbox/transfers/{transfer_id}/settle": HOLDER,
    "POST /v1/sandbox/transfers/{transfer_id}/fail": HOLDER,
    "POST /v1/sandbox/consents/{consent_id}/expire": PARTNER,
    "POST /v1/sandbox/webhooks/fire": OWN,
    "GET /v1/sandbox/faults": OWN,
    "POST /v1/sandbox/faults": OWN,
    "DELETE /v1/sandbox/faults": OWN,
    "POST /v1/sandbox/offer_funding": OWN,
    "GET /v1/offers": OWN,
    "POST /v1/offers": OWN,
    "GET /v1/offers/{offer_id}": PARTNER,
    "PATCH /v1/offers/{offer_id}": PARTNER,
    "GET /v1/offers/{offer_id}/audience": PARTNER,
    "POST /v1/offers/{offer_id}/pause": PARTNER,
    "POST /v1/offers/{offer_id}/resume": PARTNER,
    "GET /v1/points/programme": OWN,
    "PUT /v1/points/programme": OWN,
    "POST /v1/points/redemptions": HOLDER,
    "GET /v1/wallet_holders/{holder_id}/insights": HOLDER,
    "GET /v1/wallet_holders/{holder_id}/offers": HOLDER,
    "POST /v1/wallet_holders/{holder_id}/offers/{offer_id}/activate": HOLDER,
}

# Routes the resolver has that the API schema does not describe, each with the reason. Django's admin and
# allauth generate their routes (one set per registered model or flow), so they are allowed by prefix.
NOT_IN_SCHEMA_PREFIXES = {
    "/admin/": "Django's admin for bank staff: staff session only (is_staff), never a partner credential",
    "/docs/": "the developer docs site built by make docs: static pages, no data",
    "/accounts/": "allauth's sign-up, sign-in, e-mail and two-factor pages for portal members (docs/portal/)",
    "/staff/": "the bank staff's case pages (docs/staff-guide.md): staff session only (is_staff), 403 for others",
}
NOT_IN_SCHEMA = {
    "/": "redirects to the portal",
    "/v1/schema/": "the OpenAPI document itself",
    "/v1/docs/": "Swagger UI over the schema",
    "/v1/redoc/": "Redoc over the schema",
    "/health/": "liveness probe for the load balancer: no data",
    "/health/ready/": "readiness probe: database and cache reachable, no data",
    "/metrics": "Prometheus metrics for operators, behind a bearer METRICS_TOKEN (docs/operations.md)",
    "/.well-known/oauth-authorization-server": "RFC 8414 metadata of the authorization server (docs/oauth.md)",
    "/o/authorize/": "OAuth authorization endpoint, the holder's consent screen (docs/oauth.md)",
    "/o/login/": "the consent screen's holder sign-in",
    "/o/logout/": "the consent screen's holder sign-out",
    "/o/token/": "OAuth token endpoint, client authentication (docs/oauth.md)",
    "/o/revoke/": "OAuth token revocation, client authentication (RFC 7009)",
    "/o/introspect/": "OAuth token introspection for resource servers (RFC 7662), introspection scope",
    "/holders/signup/": "a live wallet holder's self sign-up page",
    "/holders/signup/done/": "after a holder's sign-up",
    "/account/connections/": "a holder's page of the apps they connected (docs/consents.md)",
    "/account/connections/{consent_id}/disconnect/": "a holder revokes a consent from their page",
    "/account/personalisation/": "a holder's own choice to opt in to insights and offers (docs/offers.md)",
}
PORTAL = "partner portal page: member session and role checks (docs/portal/), not the API"


@dataclass(frozen=True)
class Route:
    path: str  # the template with {name} parameters, as the schema writes it
    view: Any  # the view class, or the function
    methods: tuple[str, ...]  # what the view answers (without HEAD and OPTIONS)

    def scopes(self, method: str) -> frozenset[str]:
        return frozenset(scopes_required(self.view, method))


def holder_data_view(view: Any) -> bool:
    """Whether the view is over a holder's data, where a partner-level credential holds the holder-delegated scopes
    only over its sandbox personas (``apps.wallets.selectors.holder_data_scopes``)."""
    return isinstance(view, type) and issubclass(view, HolderDataApi)


def partner_credential_only(view: Any) -> bool:
    """Whether a holder-bound token holds none of the view's scopes, whatever it was granted: managing offers and
    the points programme is the partner's (its secret key or client-credentials token), never a holder's app."""
    return isinstance(view, type) and issubclass(view, PartnerOffersApi)


def _template(pattern: str) -> str:
    pattern = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)
    return "/" + pattern.replace("^", "").replace("$", "")


def routes() -> list[Route]:
    """Every route of the URL resolver, in its order."""

    def walk(patterns: list, prefix: str) -> list[Route]:
        found = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found += walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
                methods = tuple(
                    m.upper()
                    for m in getattr(view, "http_method_names", ())
                    if m.upper() in METHODS and hasattr(view, m)
                )
                found.append(Route(_template(prefix + str(pattern.pattern)), view or pattern.callback, methods))
        return found

    return walk(get_resolver().url_patterns, "")


@cache
def schema() -> dict[str, Any]:
    return yaml.safe_load(SCHEMA.read_text())


def operations() -> dict[str, dict[str, Any]]:
    """The committed schema's operations, keyed ``"METHOD /path"``."""
    return {
        f"{method.upper()} {path}": operation
        for path, item in schema()["paths"].items()
        for method, operation in item.items()
        if method.upper() in METHODS
    }


def why_not_in_schema(path: str) -> str | None:
    """The reason a route is outside the API schema, or None if it has none."""
    if path in NOT_IN_SCHEMA:
        return NOT_IN_SCHEMA[path]
    if path.startswith("/portal/"):
        return PORTAL
    return next((reason for prefix, reason in NOT_IN_SCHEMA_PREFIXES.items() if path.startswith(prefix)), None)


def api_routes() -> list[Route]:
    """The routes of the API schema (every /v1/ view of apps/ and sandbox/)."""
    paths = schema()["paths"]
    return [route for route in routes() if route.path in paths]


def request_example(operation: dict[str, Any]) -> dict[str, Any] | None:
    """The first request body example the schema gives for ``operation``, if it has a body."""
    content = (operation.get("requestBody") or {}).get("content", {}).get("application/json")
    if content is None:
        return None
    examples = content.get("examples") or {}
    for example in examples.values():
        return dict(example["value"])
    return {}


_PREFIXED_ID = re.compile(r"^(wal|fs|evt|tr|ph|txn|cons|we|fxq|ctx|off)_[0-9A-Za-z]+$")


def with_ids(value: Any, ids: dict[str, list[str]]) -> Any:
    """``value`` (an example body) with every example id replaced by the owner's object of the same prefix; a
    second id of a prefix takes the next object (a transfer's destination is holder Y's wallet)."""
    used: dict[str, int] = {}

    def swap(item: Any) -> Any:
        if isinstance(item, dict):
            return {key: swap(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return [swap(inner) for inner in item]
        if isinstance(item, str) and _PREFIXED_ID.match(item):
            prefix = item.split("_", 1)[0]
            index = used.get(prefix, 0)
            used[prefix] = index + 1
            choices = ids[prefix]
            return choices[min(index, len(choices) - 1)]
        return item

    return swap(value)
