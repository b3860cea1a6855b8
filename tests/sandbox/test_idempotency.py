"""``Idempotency-Key`` on every ``/v1/sandbox/...`` POST that creates or moves something: the same key and request
replays the first answer (``Idempotent-Replayed: true``) without simulating twice, the same key on another request
is a 422 ``idempotency_key_reused``, and a key whose first request still runs is a 409 ``idempotency_key_in_use``."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from apps.core.idempotency import fingerprint
from apps.core.models import IdempotencyKey
from apps.events.models import Event
from apps.oauth_clients.models import Consent
from apps.partners.models import Environment
from apps.transfers.models import Transfer
from apps.wallets.models import Transaction
from sandbox.models import CardTransaction
from tests.helpers import assert_book_balanced, assert_problem
from tests.oauth_clients.factories import ApplicationFactory, ConsentFactory
from tests.transfers.factories import create_transfer, fresh_reference_tables
from tests.wallets.factories import add_bank_account, make_holder, make_wallet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference_tables():
    with fresh_reference_tables(seed=True):
        yield


@pytest.fixture
def wallet(partner):
    return make_wallet(holder=make_holder(partner=partner, kyc_tier="full"), balance=100_000)


@dataclass
class Call:
    """One simulation: the request, another request of the same kind, and what counts how often it happened."""

    path: str
    body: dict[str, Any]
    other_path: str
    other_body: dict[str, Any]
    effects: Callable[[], Any]
    status: int = 200


def _card(sandbox_client, wallet) -> str:
    body = {
        "wallet": wallet.public_id,
        "amount": 1000,
        "currency": "USD",
        "merchant": {"name": "Diner", "category": "dining"},
    }
    response = sandbox_client.post("/v1/sandbox/card_transactions", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _payout(sandbox, wallet) -> str:
    bank = add_bank_account(holder=wallet.holder)
    return create_transfer(
        sandbox, type="payout", source=wallet.public_id, destination=bank.public_id, amount=2500, currency="USD"
    ).public_id


def _events(type_: str) -> Callable[[], int]:
    return lambda: Event.objects.filter(type=type_).count()


def deposit(sandbox_client, sandbox, wallet) -> Call:
    body = {"wallet": wallet.public_id, "amount": 500, "currency": "USD"}
    return Call(
        "/v1/sandbox/deposits", body, "/v1/sandbox/deposits", {**body, "amount": 600},
        lambda: Transaction.objects.filter(type="deposit").count(), 201,
    )  # fmt: skip


def card_create(sandbox_client, sandbox, wallet) -> Call:
    body = {
        "wallet": wallet.public_id,
        "amount": 700,
        "currency": "USD",
        "merchant": {"name": "Diner", "category": "dining"},
    }
    return Call(
        "/v1/sandbox/card_transactions", body, "/v1/sandbox/card_transactions", {**body, "amount": 800},
        CardTransaction.objects.count, 201,
    )  # fmt: skip


def card_post(sandbox_client, sandbox, wallet) -> Call:
    first, second = _card(sandbox_client, wallet), _card(sandbox_client, wallet)
    return Call(
        f"/v1/sandbox/card_transactions/{first}/post", {}, f"/v1/sandbox/card_transactions/{second}/post", {},
        _events("transaction.posted"),
    )  # fmt: skip


def card_reverse(sandbox_client, sandbox, wallet) -> Call:
    first, second = _card(sandbox_client, wallet), _card(sandbox_client, wallet)
    return Call(
        f"/v1/sandbox/card_transactions/{first}/reverse", {}, f"/v1/sandbox/card_transactions/{second}/reverse", {},
        lambda: CardTransaction.objects.filter(status="reversed").count(),
    )  # fmt: skip


def transfer_settle(sandbox_client, sandbox, wallet) -> Call:
    first, second = _payout(sandbox, wallet), _payout(sandbox, wallet)
    return Call(
        f"/v1/sandbox/transfers/{first}/settle", {}, f"/v1/sandbox/transfers/{second}/settle", {},
        _events("transfer.succeeded"),
    )  # fmt: skip


def transfer_fail(sandbox_client, sandbox, wallet) -> Call:
    transfer = _payout(sandbox, wallet)
    return Call(
        f"/v1/sandbox/transfers/{transfer}/fail", {"failure_code": "bank_rejected"},
        f"/v1/sandbox/transfers/{transfer}/fail", {"failure_code": "bank_account_closed"},
        _events("transfer.failed"),
    )  # fmt: skip


def consent_expire(sandbox_client, sandbox, wallet) -> Call:
    application = ApplicationFactory(environment=sandbox)
    first, second = ConsentFactory(application=application), ConsentFactory(application=application)
    return Call(
        f"/v1/sandbox/consents/{first.public_id}/expire", {}, f"/v1/sandbox/consents/{second.public_id}/expire", {},
        lambda: Consent.objects.filter(status="expired").count(),
    )  # fmt: skip


def clock_advance(sandbox_client, sandbox, wallet) -> Call:
    return Call(
        "/v1/sandbox/clock/advance", {"seconds": 3600}, "/v1/sandbox/clock/advance", {"seconds": 60},
        lambda: Environment.objects.get(pk=sandbox.pk).clock_offset,
    )  # fmt: skip


def webhooks_fire(sandbox_client, sandbox, wallet) -> Call:
    return Call(
        "/v1/sandbox/webhooks/fire", {"type": "transaction.posted"}, "/v1/sandbox/webhooks/fire",
        {"type": "transaction.created"}, Event.objects.count, 201,
    )  # fmt: skip


def reset(sandbox_client, sandbox, wallet) -> Call:
    # A reset takes no parameters (a body is refused with 400), so the other request for the key is another path.
    return Call(
        "/v1/sandbox/reset", {}, "/v1/sandbox/clock/advance", {"seconds": 60},
        lambda: Environment.objects.get(pk=sandbox.pk).seed_updated_at, 202,
    )  # fmt: skip


CALLS = [
    deposit,
    card_create,
    card_post,
    card_reverse,
    transfer_settle,
    transfer_fail,
    consent_expire,
    clock_advance,
    webhooks_fire,
    reset,
]


def send(client, path, body, key):
    return client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.parametrize("make", CALLS, ids=lambda make: make.__name__)
class TestSandboxIdempotency:
    def test_a_retry_with_the_same_key_replays_the_first_answer_and_simulates_once(
        self, sandbox_client, sandbox, wallet, make
    ):
        call = make(sandbox_client, sandbox, wallet)
        before = call.effects()

        first = send(sandbox_client, call.path, call.body, "key-1")
        after = call.effects()
        second = send(sandbox_client, call.path, call.body, "key-1")

        assert first.status_code == call.status, first.content
        assert after != before
        assert second.status_code == call.status
        assert second["Idempotent-Replayed"] == "true"
        assert second.json() == first.json()
        assert call.effects() == after
        assert_book_balanced()

    def test_the_same_key_on_another_request_is_a_422_and_changes_nothing(self, sandbox_client, sandbox, wallet, make):
        call = make(sandbox_client, sandbox, wallet)
        assert send(sandbox_client, call.path, call.body, "key-2").status_code == call.status
        after = call.effects()

        assert_problem(send(sandbox_client, call.other_path, call.other_body, "key-2"), 422, "idempotency_key_reused")

        assert call.effects() == after

    def test_a_key_whose_first_request_still_runs_is_a_409(self, sandbox_client, sandbox, wallet, make):
        call = make(sandbox_client, sandbox, wallet)
        IdempotencyKey.objects.create(
            scope=f"{sandbox.partner.public_id}:sandbox",
            key="busy",
            fingerprint=fingerprint(method="POST", path=call.path, data=call.body),
            method="POST",
            path=call.path,
            lease_token="another request",
            locked_until=timezone.now() + timedelta(seconds=30),
            created_at=timezone.now(),
        )
        before = call.effects()

        response = send(sandbox_client, call.path, call.body, "busy")

        assert_problem(response, 409, "idempotency_key_in_use")
        assert call.effects() == before


class TestWithoutAKey:
    def test_a_transfer_settled_without_a_key_cannot_be_settled_again(self, sandbox_client, sandbox, wallet):
        transfer = _payout(sandbox, wallet)

        assert sandbox_client.post(f"/v1/sandbox/transfers/{transfer}/settle").status_code == 200
        assert_problem(sandbox_client.post(f"/v1/sandbox/transfers/{transfer}/settle"), 409, "invalid_state_transition")
        assert Transfer.objects.get(public_id=transfer).status == "succeeded"
