"""``POST /v1/sandbox/deposits``, ``/v1/sandbox/card_transactions`` (then ``/{id}/post`` or ``/{id}/reverse``) and
``/v1/sandbox/webhooks/fire``."""

from collections.abc import Callable

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.idempotent_post import idempotent_post
from apps.core.principal import principal_of
from apps.core.serializers import InputSerializer
from apps.events.serializers import EventSerializer
from apps.events.snapshots import event_snapshot
from apps.wallets.serializers import TransactionSerializer
from apps.wallets.snapshots import transaction_snapshot
from sandbox.apis.base import IDEMPOTENCY, TAG, SandboxApi, example, problems
from sandbox.fire import event_fire
from sandbox.models import CardTransaction
from sandbox.serializers import (
    CardTransactionInputSerializer,
    CardTransactionSerializer,
    DepositInputSerializer,
    FireInputSerializer,
)
from sandbox.simulations import card_authorise, card_post, card_refresh, card_reverse, deposit_simulate
from sandbox.snapshots import card_snapshot

CARD = {
    "id": "ctx_2bV9qLm4Xp7TzR1sN8cW5yHd",
    "object": "sandbox_card_transaction",
    "environment": "sandbox",
    "wallet": "wal_Dqe3ZC1VUuq2ujjrYyfMpP7g",
    "status": "pending",
    "amount": 1850,
    "currency": "USD",
    "merchant": {"name": "Blue Door Diner", "category": "dining"},
    "transaction": "txn_7Hk2mQ9vLx4RtW1pZ8nB3cYe",
    "authorized_at": "2026-12-07T12:30:00Z",
    "created_at": "2026-12-07T12:30:00Z",
}


class DepositApi(SandboxApi):
    @extend_schema(
        operation_id="sandbox_deposit_create",
        summary="Simulate an incoming bank transfer",
        description=(
            "Money arrives in a sandbox wallet from outside (a bank transfer from `sender_name`): the transaction "
            "posts at once and `transaction.posted` and `wallet.balance_updated` follow. The currency must be the "
            "wallet's (`currency_mismatch`); a frozen or closed wallet receives nothing (`wallet_frozen`)."
        ),
        request=DepositInputSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: TransactionSerializer, **problems(400, 409, 422)},
        tags=[TAG],
        examples=[
            example(
                "A deposit",
                {
                    "wallet": "wal_Dqe3ZC1VUuq2ujjrYyfMpP7g",
                    "amount": 5000,
                    "currency": "USD",
                    "description": "Invoice 1042",
                    "sender_name": "Acme Corp",
                    "reference": "INV-1042",
                },
                request=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        return idempotent_post(
            request,
            body=DepositInputSerializer,
            status=201,
            render=transaction_snapshot,
            perform=lambda data, handle: deposit_simulate(
                principal=principal,
                wallet_id=data["wallet"],
                amount=data["amount"],
                currency=data["currency"],
                description=data["description"],
                sender_name=data["sender_name"],
                reference=data["reference"],
            ),
        )


class CardTransactionCreateApi(SandboxApi):
    @extend_schema(
        operation_id="sandbox_card_transaction_create",
        summary="Simulate a card payment",
        description=(
            "Authorise a card payment at a merchant: the amount is held on the wallet (its available balance "
            "drops) and a `pending` transaction appears (`transaction.created`). Post it or reverse it with the "
            "two endpoints below; moving the sandbox clock two days on posts it. Refusals: `insufficient_funds`, "
            "`wallet_frozen`, `currency_mismatch`, `amount_invalid`."
        ),
        request=CardTransactionInputSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: CardTransactionSerializer, **problems(400, 409, 422)},
        tags=[TAG],
        examples=[
            example(
                "At a diner",
                {
                    "wallet": "wal_Dqe3ZC1VUuq2ujjrYyfMpP7g",
                    "amount": 1850,
                    "currency": "USD",
                    "merchant": {"name": "Blue Door Diner", "category": "dining"},
                },
                request=True,
            ),
            example("Pending", CARD),
        ],
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        return idempotent_post(
            request,
            body=CardTransactionInputSerializer,
            status=201,
            render=lambda card: card_snapshot(card_refresh(card)),
            perform=lambda data, handle: card_authorise(
                principal=principal,
                wallet_id=data["wallet"],
                amount=data["amount"],
                currency=data["currency"],
                merchant_name=data["merchant"]["name"],
                merchant_category=data["merchant"]["category"],
            ),
        )


class CardTransactionPostApi(SandboxApi):
    @extend_schema(
        operation_id="sandbox_card_transaction_post",
        summary="Post a simulated card payment",
        description="The hold is captured and the transaction posts (`transaction.posted`). Only a `pending` one: "
        "otherwise 409 `invalid_state_transition`.",
        request=None,
        parameters=[IDEMPOTENCY],
        responses={200: CardTransactionSerializer, **problems(400, 409, 422)},
        tags=[TAG],
        examples=[example("Posted", {**CARD, "status": "posted"})],
    )
    def post(self, request: Request, card_transaction_id: str) -> Response:
        return _card_change(request, card_transaction_id, card_post)


class CardTransactionReverseApi(SandboxApi):
    @extend_schema(
        operation_id="sandbox_card_transaction_reverse",
        summary="Reverse a simulated card payment",
        description="A `pending` payment: the merchant lets the authorisation go (the hold is released and the "
        "pending transaction becomes `reversed`). A `posted` one: the purchase is undone, as a refund or chargeback "
        "would (a reversal journal gives the money back, the payment becomes `reversed`, and an offer reward it "
        "earned is clawed back). Already `reversed`: 409 `invalid_state_transition`.",
        request=None,
        parameters=[IDEMPOTENCY],
        responses={200: CardTransactionSerializer, **problems(400, 409, 422)},
        tags=[TAG],
        examples=[example("Reversed", {**CARD, "status": "reversed"})],
    )
    def post(self, request: Request, card_transaction_id: str) -> Response:
        return _card_change(request, card_transaction_id, card_reverse)


def _card_change(request: Request, card_transaction_id: str, change: Callable[..., CardTransaction]) -> Response:
    """Post or reverse a card transaction, once per ``Idempotency-Key``."""
    principal = principal_of(request)
    return idempotent_post(
        request,
        body=InputSerializer,  # takes no parameters: anything sent is refused (parameter_unknown)
        status=200,
        render=lambda card: card_snapshot(card_refresh(card)),
        perform=lambda data, handle: change(principal=principal, card_transaction_id=card_transaction_id),
    )


class FireApi(SandboxApi):
    @extend_schema(
        operation_id="sandbox_webhook_fire",
        summary="Send a test event of any type",
        description=(
            "Record an event of `type` (any type of the catalogue) with a realistic payload, delivered to this "
            "sandbox's endpoints subscribed to it and shown in `/v1/events`. The payload describes the sandbox's "
            "newest object of that kind, or an example built from its first wallet; nothing but the event is "
            "written. An unknown type is a 400; a type whose object the sandbox lacks entirely (no API key, no "
            "webhook endpoint) a 409."
        ),
        request=FireInputSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: EventSerializer, **problems(400, 409, 422)},
        tags=[TAG],
        examples=[example("A transfer that failed", {"type": "transfer.failed"}, request=True)],
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        return idempotent_post(
            request,
            body=FireInputSerializer,
            status=201,
            render=event_snapshot,
            perform=lambda data, handle: event_fire(principal=principal, type=data["type"]),
        )
