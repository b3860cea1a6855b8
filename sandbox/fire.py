"""``POST /v1/sandbox/webhooks/fire``: record any event type with a realistic payload, so a partner can test its
webhook handler without making the change happen. The event goes through the outbox like any other (the feed,
and every endpoint of the sandbox subscribed to it).

The payload describes the sandbox's own newest object of the event's kind where there is one (a transfer, a
transaction, a wallet, a consent, a key, an endpoint) and an example object built from the sandbox's first
wallet otherwise; a transfer or consent payload carries the status its event type implies. Nothing but the event
is written: the object itself does not change."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction

from apps.core import clock
from apps.core.errors import Conflict
from apps.core.ids import new_public_id
from apps.core.principal import Principal
from apps.events.models import Event
from apps.events.services import record
from apps.oauth_clients.models import Consent
from apps.oauth_clients.snapshots import consent_snapshot
from apps.offers.apis import examples as offer_examples
from apps.offers.apis.points import REDEMPTION
from apps.offers.models import Offer, OfferRedemption, PointsRedemption
from apps.offers.snapshots import offer_snapshot, points_redemption_snapshot, redemption_snapshot
from apps.partners.models import ApiKey
from apps.partners.snapshots import api_key_event_snapshot
from apps.risk.apis.examples import VERIFICATION
from apps.risk.models import KycVerification
from apps.risk.verifications import verification_snapshot
from apps.transfers.models import Transfer
from apps.transfers.snapshots import transfer_snapshot
from apps.wallets.models import Transaction, Wallet
from apps.wallets.snapshots import transaction_snapshot, wallet_snapshot
from apps.webhooks.models import WebhookEndpoint
from apps.webhooks.snapshots import endpoint_event_snapshot

TRANSFER_STATUS = {
    "transfer.created": "pending",
    "transfer.held": "held",
    "transfer.succeeded": "succeeded",
    "transfer.failed": "failed",
    "transfer.canceled": "canceled",
    "transfer.reversed": "reversed",
}
CONSENT_STATUS = {
    "consent.granted": "active",
    "consent.revoked": "revoked",
    "consent.expiring": "active",
    "consent.expired": "expired",
}


@dataclass(frozen=True)
class _Subject:
    """What an event is about: its id and type name (``events.record`` needs no more)."""

    public_id: str
    object_name: str


def _wallets(principal: Principal) -> list[Wallet]:
    wallets = list(
        Wallet.objects.filter(holder__partner=principal.partner, holder__environment="sandbox")
        .select_related("holder")
        .order_by("pk")[:50]
    )
    if not wallets:
        raise Conflict("This sandbox has no wallets to describe: wait for its seeding, or reset it.")
    return wallets


def _transfer(principal: Principal, type: str) -> dict[str, Any]:
    status = TRANSFER_STATUS[type]
    transfer = (
        Transfer.objects.filter(environment=principal.environment)
        .select_related("environment", "source_wallet", "destination_wallet", "funding_source", "fx_quote", "mandate")
        .order_by("-pk")
        .first()
    )
    if transfer is not None:
        snapshot = transfer_snapshot(transfer, status=status)
    else:
        wallets = _wallets(principal)
        source = wallets[0]
        destination = next(
            (w for w in wallets[1:] if w.currency == source.currency and w.holder_id != source.holder_id), None
        )
        snapshot = {
            "id": new_public_id("tr"),
            "object": "transfer",
            "environment": "sandbox",
            "type": "p2p",
            "status": status,
            "amount": 2500,
            "currency": source.currency,
            "source": source.public_id,
            "destination": destination.public_id if destination else None,
            "fx": None,
            "amount_reversed": 0,
            "description": "Dinner split",
            "metadata": {},
            "failure": None,
            "review_reason": None,
            "risk": {"score": 0, "level": "low", "reasons": []},
            "mandate": None,
            "funding_attempts": [],
            "created_at": clock.rfc3339(clock.now(environment=principal.environment)),
        }
    if status == "failed":
        snapshot["failure"] = snapshot["failure"] or {
            "code": "insufficient_funds",
            "message": "The source wallet has too little available.",
        }
    if status == "held":
        snapshot["review_reason"] = snapshot["review_reason"] or "compliance_hold"
    if status == "reversed":
        snapshot["amount_reversed"] = snapshot["amount"]
    return snapshot


def _consent(principal: Principal, type: str) -> dict[str, Any]:
    consent = (
        Consent.objects.filter(environment=principal.environment)
        .select_related("environment", "application", "holder")
        .order_by("-pk")
        .first()
    )
    now = clock.now(environment=principal.environment)
    if consent is not None:
        snapshot = consent_snapshot(consent)
    else:
        wallet = _wallets(principal)[0]
        snapshot = {
            "id": new_public_id("cons"),
            "object": "consent",
            "environment": "sandbox",
            "status": "active",
            "application": "example_client_id",
            "holder": wallet.holder.public_id,
            "wallets": [wallet.public_id],
            "scopes": ["accounts:read", "balances:read", "transactions:read"],
            "mandates": [],
            "expires_at": clock.rfc3339(now + timedelta(days=90)),
            "authorized_at": clock.rfc3339(now),
            "revoked_at": None,
            "revoked_by": None,
            "created_at": clock.rfc3339(now),
        }
    snapshot["status"] = CONSENT_STATUS[type]
    if type == "consent.revoked":
        snapshot["revoked_at"], snapshot["revoked_by"] = clock.rfc3339(now), "holder"
    if type == "consent.expiring":
        snapshot["expires_at"] = clock.rfc3339(now + timedelta(days=7))
    if type == "consent.expired":
        snapshot["expires_at"] = clock.rfc3339(now)
    return snapshot


def _offer(principal: Principal, type: str) -> dict[str, Any]:
    """The sandbox's latest offer (or redemption), else the reference's example with this sandbox's wallet."""
    now = clock.now(environment=principal.environment)
    if type == "offer.redeemed":
        redemption = (
            OfferRedemption.objects.filter(offer__environment=principal.environment)
            .select_related("offer__environment", "holder", "wallet", "card_transaction", "reward_transaction")
            .order_by("-pk")
            .first()
        )
        if redemption is not None:
            return redemption_snapshot(redemption)
        wallet = _wallets(principal)[0]
        return {
            "id": "ofr_4Tq8mK2xL9pR7vZ1nB5cW3yD",
            "object": "offer_redemption",
            "environment": principal.environment.kind,
            "offer": offer_examples.OFFER_BODY["id"],
            "holder": wallet.holder.public_id,
            "wallet": wallet.public_id,
            "card_transaction": "txn_8Lm3Qw6Er9Ty2Ui5Op1As4Df",
            "reward_transaction": "txn_2Hk7Qw9Er3Ty6Ui1Op5As8Df",
            "reward": {"amount": 200, "currency": wallet.currency},
            "status": "credited",
            "created_at": clock.rfc3339(now),
        }
    offer = (
        Offer.objects.filter(environment=principal.environment).select_related("environment").order_by("-pk").first()
    )
    snapshot = offer_snapshot(offer, now=now) if offer is not None else dict(offer_examples.OFFER_BODY)
    snapshot["status"] = "exhausted"
    snapshot["budget_spent"] = dict(snapshot["budget"])
    return snapshot


def _points(principal: Principal) -> dict[str, Any]:
    """The sandbox's latest points redemption, else the reference's example with one of this sandbox's holders."""
    redemption = (
        PointsRedemption.objects.filter(environment=principal.environment)
        .select_related("environment", "holder", "wallet", "transaction")
        .order_by("-pk")
        .first()
    )
    if redemption is not None:
        return points_redemption_snapshot(redemption)
    wallet = _wallets(principal)[0]
    return {
        **REDEMPTION,
        "holder": wallet.holder.public_id,
        "created_at": clock.rfc3339(clock.now(environment=principal.environment)),
    }


def _verification(principal: Principal) -> dict[str, Any]:
    verification = (
        KycVerification.objects.filter(holder__partner=principal.partner, environment="sandbox")
        .select_related("holder")
        .order_by("-pk")
        .first()
    )
    if verification is not None:
        return verification_snapshot(verification)
    wallet = _wallets(principal)[0]
    now = clock.rfc3339(clock.now(environment=principal.environment))
    return {**VERIFICATION, "holder": wallet.holder.public_id, "created_at": now, "decided_at": now}


def _payload(principal: Principal, type: str) -> dict[str, Any]:
    if type in TRANSFER_STATUS:
        return _transfer(principal, type)
    if type in CONSENT_STATUS:
        return _consent(principal, type)
    if type.startswith("transaction."):
        txn = (
            Transaction.objects.filter(wallet__holder__partner=principal.partner, wallet__holder__environment="sandbox")
            .select_related("wallet__holder")
            .order_by("-pk")
            .first()
        )
        if txn is None:
            raise Conflict("This sandbox has no transaction to describe: wait for its seeding, or reset it.")
        snapshot = transaction_snapshot(txn)
        if type == "transaction.created":
            snapshot["status"], snapshot["balance_after"] = "pending", None
        else:
            snapshot["status"] = "posted"
        return snapshot
    if type == "wallet.balance_updated":
        return wallet_snapshot(_wallets(principal)[0])
    if type == "api_key.expiring":
        key = (
            ApiKey.objects.filter(environment=principal.environment, revoked_at=None, explorer=False)
            .order_by("-pk")
            .first()
        )
        if key is None:
            raise Conflict("This sandbox has no API key to describe.")
        snapshot = api_key_event_snapshot(key)
        snapshot["expires_at"] = snapshot["expires_at"] or clock.rfc3339(
            clock.now(environment=principal.environment) + timedelta(days=7)
        )
        return snapshot
    if type == "webhook_endpoint.disabled":
        endpoint = WebhookEndpoint.objects.filter(environment=principal.environment).order_by("pk").first()
        if endpoint is None:
            raise Conflict("This sandbox has no webhook endpoint to describe.")
        snapshot = endpoint_event_snapshot(endpoint)
        snapshot["status"] = "disabled"
        return snapshot
    if type == "sandbox.reset":
        environment = principal.environment
        return {
            "id": environment.public_id,
            "object": "sandbox_reset",
            "status": "succeeded",
            "holders_removed": 0,
            "holders_seeded": 0,
            "seeded_through": environment.seed_anchor.isoformat() if environment.seed_anchor else None,
            "created_at": clock.rfc3339(environment.created_at),
        }
    if type.startswith("offer."):
        return _offer(principal, type)
    if type == "points.redeemed":
        return _points(principal)
    if type == "holder.verification.updated":
        return _verification(principal)
    raise ValueError(f"no payload for {type!r}")  # the serializer accepts only the catalogue's types


@transaction.atomic
def event_fire(*, principal: Principal, type: str) -> Event:
    """Record ``type`` (one of ``apps.events.types.EVENT_TYPES``) in the principal's sandbox with a realistic
    payload. Raises ``Conflict`` (409) when the sandbox has nothing such an event could describe (no key, no
    webhook endpoint, no wallet yet)."""
    data = _payload(principal, type)
    subject = _Subject(public_id=data["id"], object_name=data["object"])
    return record(type=type, partner=principal.partner, environment=principal.environment, obj=subject, data=data)


def test_payload(partner: Any, environment: Any, type: str) -> dict[str, Any]:
    """The payload of a sandbox test event of ``type`` sent to one endpoint from the portal (registered with
    ``apps.webhooks.services.replays.register_test_payload``): what ``event_fire`` would record."""
    principal = Principal(partner=partner, environment=environment, credential_type="portal", credential_id="portal")
    return _payload(principal, type)
