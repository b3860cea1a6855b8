"""The world the authorisation matrix runs in, built once per test through the services and factories: partners A
and B, each with a sandbox and a live environment, and in each of the four a full secret key, a restricted key
and OAuth access tokens of two holders, X and Y, under their consents. Partner A's sandbox also owns one object
of every kind the API addresses by id, all of holder X where an object has a holder: those are the ids every
principal is sent."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from apps.core.scopes import EVENTS_READ, USER_DELEGATED, partner_level_for
from apps.oauth_clients.tokens import new_access_token
from apps.offers.services.points import programme_set
from apps.partners.services import api_key_create
from apps.risk.verifications import VerificationRequest, verification_create
from tests.events.factories import EventFactory
from tests.oauth_clients.factories import AccessTokenFactory, ApplicationFactory, ConsentFactory
from tests.offers.factories import make_offer
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory, sandbox_of
from tests.transfers.factories import api_key_principal, create_transfer, make_quote
from tests.wallets.factories import add_card, make_holder, make_wallet, post
from tests.webhooks.factories import WebhookDeliveryFactory, WebhookEndpointFactory

RESTRICTED_SCOPES = [EVENTS_READ]  # a restricted key: one partner-level scope of the four
CREDENTIALS = ("full_key", "restricted_key", "token_x", "token_y", "none")


@dataclass(frozen=True)
class Caller:
    """One principal of the matrix: whose credential it is and what it is."""

    partner: str  # "A" | "B"
    environment: str  # "sandbox" | "live"
    credential: str  # one of CREDENTIALS
    secret: str | None  # what goes after "Bearer "; None for no credential
    scopes: frozenset[str]
    holder: str | None  # "X" | "Y" for a holder's token

    @property
    def name(self) -> str:
        return f"{self.partner}/{self.environment}/{self.credential}"

    @property
    def is_owner(self) -> bool:
        """Whether this caller's partner and environment own the matrix's objects (partner A's sandbox)."""
        return (self.partner, self.environment) == ("A", "sandbox")

    def sees(self, holder: str | None) -> bool:
        """Whether this caller may see an object of the owner with this holder (None: the partner's own)."""
        return self.is_owner and (self.holder is None or holder is None or self.holder == holder)


@dataclass
class World:
    callers: list[Caller]
    ids: dict[str, str]  # a path parameter's name -> the owner's object
    objects: dict[str, Any] = field(default_factory=dict)  # the owner's objects, by the same names

    def owner(self, credential: str) -> Caller:
        return next(c for c in self.callers if c.is_owner and c.credential == credential)


def _environment_callers(partner_name: str, environment: Any, holders: dict[str, Any]) -> tuple[list[Caller], dict]:
    kind = environment.kind
    # An unrestricted key holds every partner-level scope its environment allows; in sandbox, where the holders
    # are the partner's own personas, it also acts on them with every user-delegated scope (docs/authentication.md).
    full = partner_level_for(kind) | (USER_DELEGATED if kind == "sandbox" else frozenset())
    callers = [Caller(partner_name, kind, "full_key", api_key_create(environment=environment).secret, full, None)]
    restricted = api_key_create(environment=environment, name="Matrix restricted", scopes=RESTRICTED_SCOPES).secret
    callers.append(Caller(partner_name, kind, "restricted_key", restricted, frozenset(RESTRICTED_SCOPES), None))
    app = ApplicationFactory(environment=environment, allowed_scopes=sorted(USER_DELEGATED))
    consents = {}
    for name, (holder, wallet) in holders.items():
        consent = ConsentFactory(application=app, holder=holder, wallets=[wallet])
        secret = new_access_token()
        AccessTokenFactory(application=app, consent=consent, token=secret, scope=" ".join(sorted(USER_DELEGATED)))
        callers.append(Caller(partner_name, kind, f"token_{name.lower()}", secret, USER_DELEGATED, name))
        consents[name] = consent
    callers.append(Caller(partner_name, kind, "none", None, frozenset(), None))
    return callers, consents


def _holders(partner: Any, kind: str) -> dict[str, tuple[Any, Any]]:
    made = {}
    for name in ("X", "Y"):
        holder = make_holder(partner=partner, environment=kind, name=f"Holder {name}")
        made[name] = (holder, make_wallet(holder=holder, balance=100_000))
    return made


def build_world() -> World:
    """Both partners' environments, credentials and consents, and partner A's sandbox objects."""
    callers: list[Caller] = []
    owner: dict[str, Any] = {}
    for partner_name in ("A", "B"):
        partner = PartnerFactory()
        for environment in (sandbox_of(partner), LiveEnvironmentFactory(partner=partner)):
            holders = _holders(partner, environment.kind)
            made, consents = _environment_callers(partner_name, environment, holders)
            # Every environment has published its points programme, so reading it is answered, not a 409.
            principal = api_key_principal(environment=environment)
            programme_set(principal=principal, name="Matrix Coins", rate=Decimal("0.01"))
            callers += made
            if (partner_name, environment.kind) == ("A", "sandbox"):
                owner = {"environment": environment, "holders": holders, "consents": consents}
    environment = owner["environment"]
    (holder_x, wallet_x), (_, wallet_y) = owner["holders"]["X"], owner["holders"]["Y"]
    transaction = post(wallet=wallet_x, amount=-500, merchant_name="Corner Shop", category="groceries")
    # To a third holder's wallet: nothing of it is holder Y's, so Y's token must see none of it.
    wallet_z = make_wallet(holder=make_holder(partner=environment.partner, name="Holder Z"))
    transfer = create_transfer(
        environment, type="p2p", source=wallet_x.public_id, destination=wallet_z.public_id, amount=1_000, currency="USD"
    )
    endpoint = WebhookEndpointFactory(environment=environment)
    WebhookDeliveryFactory(endpoint=endpoint, type="thing.updated")
    objects = {
        "holder_id": holder_x,
        "wallet_id": wallet_x,
        "payee_wallet": wallet_y,
        "transaction_id": transaction,
        "transfer_id": transfer,
        "quote_id": make_quote(environment=environment),
        "event_id": EventFactory(environment=environment),
        "endpoint_id": endpoint,
        "consent_id": owner["consents"]["X"],
        "funding_source_id": add_card(holder=holder_x),
        "verification_id": verification_create(
            principal=api_key_principal(environment=environment),
            holder=holder_x,
            request=VerificationRequest(document_type="passport", country="GB", document_number="X1230002"),
        ),
        "offer_id": make_offer(environment),
    }
    ids = {name: obj.public_id for name, obj in objects.items()}
    return World(callers=callers, ids=ids, objects=objects)
