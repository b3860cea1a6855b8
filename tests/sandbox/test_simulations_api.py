"""``/v1/sandbox/...``: simulations through the public API, only in the partner's own sandbox."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.events.models import Event
from apps.events.types import EVENT_TYPES
from apps.partners.models import Environment
from apps.partners.services import api_key_create
from apps.wallets.models import Hold, Journal, Transaction
from apps.webhooks.models import WebhookDelivery
from sandbox.models import CardTransaction
from tests.helpers import assert_book_balanced, assert_problem, book_size, reread
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory
from tests.wallets.factories import make_holder, make_wallet
from tests.webhooks.factories import WebhookEndpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wallet(partner):
    return make_wallet(holder=make_holder(partner=partner), balance=10_000)


@pytest.fixture
def live_client(partner, client_for):
    live = LiveEnvironmentFactory(partner=partner)
    return client_for(api_key_create(environment=live, name="Live").secret)


def deposit(client, wallet, **fields):
    body = {"wallet": wallet.public_id, "amount": 5000, "currency": "USD", **fields}
    return client.post("/v1/sandbox/deposits", body, format="json")


def card(client, wallet, amount=1850, **fields):
    body = {
        "wallet": wallet.public_id,
        "amount": amount,
        "currency": "USD",
        "merchant": {"name": "Blue Door Diner", "category": "dining"},
        **fields,
    }
    return client.post("/v1/sandbox/card_transactions", body, format="json")


ENDPOINTS = [
    ("post", "/v1/sandbox/reset"),
    ("get", "/v1/sandbox/clock"),
    ("post", "/v1/sandbox/clock/advance"),
    ("post", "/v1/sandbox/deposits"),
    ("post", "/v1/sandbox/card_transactions"),
    ("post", "/v1/sandbox/card_transactions/ctx_x/post"),
    ("post", "/v1/sandbox/card_transactions/ctx_x/reverse"),
    ("post", "/v1/sandbox/consents/cons_x/expire"),
    ("post", "/v1/sandbox/webhooks/fire"),
]


class TestOnlyInTheSandbox:
    @pytest.mark.parametrize(("method", "path"), ENDPOINTS)
    def test_a_live_key_gets_404(self, live_client, method, path):
        assert_problem(getattr(live_client, method)(path, {}, format="json"), 404, "resource_missing")

    def test_a_live_key_changes_nothing(self, live_client, wallet):
        before = book_size()

        assert_problem(deposit(live_client, wallet), 404, "resource_missing")
        assert_problem(
            live_client.post("/v1/sandbox/clock/advance", {"seconds": 60}, format="json"), 404, "resource_missing"
        )

        assert book_size() == before
        assert Environment.objects.get(partner=wallet.holder.partner, kind="sandbox").clock_offset == timedelta(0)

    def test_a_key_without_sandbox_write_gets_403(self, sandbox, client_for, wallet):
        restricted = api_key_create(environment=sandbox, name="Events only", scopes=["events:read"])

        assert_problem(deposit(client_for(restricted.secret), wallet), 403, "insufficient_scope")


class TestDeposits:
    def test_a_deposit_posts_at_once_with_its_events(self, sandbox_client, wallet):
        response = deposit(sandbox_client, wallet, sender_name="Acme Corp", reference="INV-1042")

        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["object"], body["status"], body["amount"], body["type"]) == (
            "transaction",
            "posted",
            5000,
            "deposit",
        )
        assert body["counterparty"] == "Acme Corp" and "INV-1042" in body["description"]
        wallet.refresh_from_db()
        assert wallet.ledger_balance == wallet.available_balance == 15_000
        types = set(Event.objects.filter(object_id__in=[body["id"], wallet.public_id]).values_list("type", flat=True))
        assert {"transaction.posted", "wallet.balance_updated"} <= types
        assert_book_balanced()

    @pytest.mark.parametrize(
        ("fields", "status", "code"),
        [
            ({"amount": 0}, 400, "amount_invalid"),
            ({"amount": -5}, 400, "amount_invalid"),
            ({"currency": "EUR"}, 422, "currency_mismatch"),
            ({"surprise": 1}, 400, "parameter_unknown"),
        ],
    )
    def test_bad_input_changes_nothing(self, sandbox_client, wallet, fields, status, code):
        before = book_size()

        problem = assert_problem(deposit(sandbox_client, wallet, **fields), status, code)

        assert book_size() == before
        if code == "amount_invalid":
            assert [error["field"] for error in problem["errors"]] == ["amount"]

    def test_another_partners_wallet_is_a_404(self, sandbox_client):
        other = make_wallet(holder=make_holder(partner=PartnerFactory()), balance=100)
        before = book_size()

        assert_problem(deposit(sandbox_client, other), 404, "resource_missing")

        assert book_size() == before

    def test_a_frozen_wallet_receives_nothing(self, sandbox_client, wallet):
        wallet.status = "frozen"
        wallet.save()
        before = book_size()

        assert_problem(deposit(sandbox_client, wallet), 422, "wallet_frozen")
        assert book_size() == before


class TestCardTransactions:
    def test_authorise_then_post(self, sandbox_client, wallet):
        created = card(sandbox_client, wallet)

        assert created.status_code == 201, created.content
        body = created.json()
        assert body["id"].startswith("ctx_") and body["status"] == "pending"
        wallet.refresh_from_db()
        assert (wallet.ledger_balance, wallet.available_balance) == (10_000, 10_000 - 1850)
        assert Transaction.objects.get(public_id=body["transaction"]).status == "pending"

        posted = sandbox_client.post(f"/v1/sandbox/card_transactions/{body['id']}/post")

        assert posted.status_code == 200 and posted.json()["status"] == "posted"
        wallet.refresh_from_db()
        assert wallet.ledger_balance == wallet.available_balance == 10_000 - 1850
        assert Transaction.objects.get(public_id=body["transaction"]).status == "posted"
        assert_book_balanced()

    def test_authorise_then_reverse(self, sandbox_client, wallet):
        ctx = card(sandbox_client, wallet).json()["id"]

        reversed_ = sandbox_client.post(f"/v1/sandbox/card_transactions/{ctx}/reverse")

        assert reversed_.status_code == 200 and reversed_.json()["status"] == "reversed"
        wallet.refresh_from_db()
        assert wallet.ledger_balance == wallet.available_balance == 10_000
        assert_book_balanced()

    def test_a_posted_card_transaction_cannot_be_posted_again_and_a_reversed_one_changes_no_more(
        self, sandbox_client, wallet
    ):
        ctx = card(sandbox_client, wallet).json()["id"]
        sandbox_client.post(f"/v1/sandbox/card_transactions/{ctx}/post")
        before = book_size()

        assert_problem(
            sandbox_client.post(f"/v1/sandbox/card_transactions/{ctx}/post"), 409, "invalid_state_transition"
        )
        assert book_size() == before
        assert sandbox_client.post(f"/v1/sandbox/card_transactions/{ctx}/reverse").status_code == 200
        after_reversal = book_size()
        for action in ("post", "reverse"):
            assert_problem(
                sandbox_client.post(f"/v1/sandbox/card_transactions/{ctx}/{action}"), 409, "invalid_state_transition"
            )
        assert book_size() == after_reversal

    def test_a_posted_purchase_reversed_gives_the_money_back_through_a_reversal_journal(self, sandbox_client, wallet):
        created = card(sandbox_client, wallet, amount=2_500).json()
        sandbox_client.post(f"/v1/sandbox/card_transactions/{created['id']}/post")
        assert reread(wallet).ledger_balance == 10_000 - 2_500

        response = sandbox_client.post(f"/v1/sandbox/card_transactions/{created['id']}/reverse")

        assert response.status_code == 200, response.content
        assert response.json()["status"] == "reversed"
        assert (reread(wallet).ledger_balance, reread(wallet).available_balance) == (10_000, 10_000)
        payment = Transaction.objects.get(public_id=created["transaction"])
        assert payment.status == "reversed"
        assert Journal.objects.filter(reverses=payment.journal).count() == 1
        assert_book_balanced()

    def test_more_than_is_available_is_refused(self, sandbox_client, wallet):
        before = book_size()

        assert_problem(card(sandbox_client, wallet, amount=10_001), 422, "insufficient_funds")

        assert book_size() == before and not CardTransaction.objects.exists()

    def test_an_unknown_category_is_refused(self, sandbox_client, wallet):
        response = card(sandbox_client, wallet, merchant={"name": "X", "category": "yachts"})

        assert_problem(response, 400, "parameter_invalid")

    def test_another_partners_card_transaction_is_a_404(self, sandbox_client, client_for, wallet):
        ctx = card(sandbox_client, wallet).json()["id"]
        other = PartnerFactory()
        other_client = client_for(api_key_create(environment=other.environments.get(), name="k").secret)

        assert_problem(other_client.post(f"/v1/sandbox/card_transactions/{ctx}/post"), 404, "resource_missing")
        assert CardTransaction.objects.get(public_id=ctx).status == "pending"


class TestWebhooksFire:
    @pytest.mark.parametrize("type", EVENT_TYPES)
    def test_every_event_type_is_sent_to_the_subscribed_endpoints(self, sandbox_client, sandbox, wallet, type):
        endpoint = WebhookEndpointFactory(partner=sandbox.partner, environment=sandbox)

        response = sandbox_client.post("/v1/sandbox/webhooks/fire", {"type": type}, format="json")

        assert response.status_code == 201, response.content
        body = response.json()
        assert body["type"] == type and body["data"]["object"]["id"]
        event = Event.objects.get(public_id=body["id"])
        assert event.environment_id == sandbox.pk
        assert WebhookDelivery.objects.filter(event=event, endpoint=endpoint).exists()

    def test_a_transfer_event_carries_the_status_its_type_implies(self, sandbox_client, wallet):
        body = sandbox_client.post("/v1/sandbox/webhooks/fire", {"type": "transfer.failed"}, format="json").json()

        transfer = body["data"]["object"]
        assert (transfer["object"], transfer["status"], transfer["failure"]["code"]) == (
            "transfer",
            "failed",
            "insufficient_funds",
        )

    def test_an_unknown_type_is_refused(self, sandbox_client, wallet):
        before = Event.objects.count()

        assert_problem(
            sandbox_client.post("/v1/sandbox/webhooks/fire", {"type": "money.printed"}, format="json"),
            400,
            "parameter_invalid",
        )
        assert Event.objects.count() == before


class TestClock:
    def test_the_clock_starts_at_real_time(self, sandbox_client):
        body = sandbox_client.get("/v1/sandbox/clock").json()

        assert (body["object"], body["offset_seconds"]) == ("sandbox_clock", 0)

    def test_advancing_moves_the_clock(self, sandbox_client, sandbox):
        response = sandbox_client.post("/v1/sandbox/clock/advance", {"seconds": 86400}, format="json")

        assert response.status_code == 200
        assert response.json()["offset_seconds"] == 86400
        assert sandbox_client.get("/v1/sandbox/clock").json()["offset_seconds"] == 86400

    @pytest.mark.parametrize("seconds", [0, -60, 365 * 86400 + 1])
    def test_backwards_or_beyond_a_year_is_refused(self, sandbox_client, sandbox, seconds):
        response = sandbox_client.post("/v1/sandbox/clock/advance", {"seconds": seconds}, format="json")

        assert_problem(response, 400, "sandbox_clock_invalid")
        sandbox.refresh_from_db()
        assert sandbox.clock_offset == timedelta(0)

    def test_pending_card_payments_post_two_days_after_authorisation(self, sandbox_client, wallet):
        ctx = card(sandbox_client, wallet).json()
        sandbox_client.post("/v1/sandbox/clock/advance", {"seconds": 86400}, format="json")
        assert CardTransaction.objects.get(public_id=ctx["id"]).status == "pending"

        sandbox_client.post("/v1/sandbox/clock/advance", {"seconds": 86400 + 60}, format="json")

        assert CardTransaction.objects.get(public_id=ctx["id"]).status == "posted"
        assert Hold.objects.get(transaction__public_id=ctx["transaction"]).status == "captured"
        assert Event.objects.filter(type="transaction.posted", object_id=ctx["transaction"]).exists()
        wallet.refresh_from_db()
        assert wallet.ledger_balance == 10_000 - 1850
        assert_book_balanced()

    def test_a_key_ages_on_the_sandbox_clock_and_the_cache_follows(self, sandbox, client_for):
        issued = api_key_create(environment=sandbox, name="Short-lived")
        issued.api_key.expires_at = timezone.now() + timedelta(hours=1)
        issued.api_key.save()
        client = client_for(issued.secret)
        assert client.get("/v1/sandbox/clock").status_code == 200  # cached now

        client.post("/v1/sandbox/clock/advance", {"seconds": 7200}, format="json")

        assert_problem(client.get("/v1/sandbox/clock"), 401, "api_key_expired")

    def test_consents_reach_expiry_with_their_events(self, sandbox_client, sandbox):
        from tests.oauth_clients.factories import ApplicationFactory, ConsentFactory

        consent = ConsentFactory(application=ApplicationFactory(environment=sandbox))
        days = (consent.expires_at - timezone.now()).days + 1

        sandbox_client.post("/v1/sandbox/clock/advance", {"seconds": (days - 6) * 86400}, format="json")
        assert Event.objects.filter(type="consent.expiring", object_id=consent.public_id).exists()
        sandbox_client.post("/v1/sandbox/clock/advance", {"seconds": 7 * 86400}, format="json")

        consent.refresh_from_db()
        assert consent.status == "expired"
        assert Event.objects.filter(type="consent.expired", object_id=consent.public_id).exists()

    def test_webhook_retries_come_due_as_the_clock_moves(self, sandbox_client, sandbox, wallet):
        endpoint = WebhookEndpointFactory(partner=sandbox.partner, environment=sandbox)
        sandbox_client.post("/v1/sandbox/webhooks/fire", {"type": "sandbox.reset"}, format="json")
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        later = timezone.now() + timedelta(hours=2)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=3, next_attempt_at=later)

        sandbox_client.post("/v1/sandbox/clock/advance", {"seconds": 7200}, format="json")

        delivery.refresh_from_db()
        assert delivery.next_attempt_at == later - timedelta(hours=2)


class TestResetApi:
    def test_reset_answers_202_pending(self, sandbox_client, sandbox, monkeypatch):
        sent = []
        monkeypatch.setattr("apps.partners.services.sandbox.enqueue", lambda name, **kw: sent.append((name, kw)))

        response = sandbox_client.post("/v1/sandbox/reset")

        assert response.status_code == 202
        assert response.json() == {"object": "sandbox_reset", "status": "pending"}
        assert sent == [("sandbox.tasks.sandbox_reset_task", {"environment_id": sandbox.public_id})]

    def test_a_second_reset_while_the_first_runs_is_refused(self, sandbox_client, monkeypatch):
        monkeypatch.setattr("apps.partners.services.sandbox.enqueue", lambda name, **kw: None)
        sandbox_client.post("/v1/sandbox/reset")

        assert_problem(sandbox_client.post("/v1/sandbox/reset"), 409, "sandbox_busy")


class TestConsentExpire:
    def test_a_consent_expires_now_with_its_event(self, sandbox_client, sandbox):
        from tests.oauth_clients.factories import ApplicationFactory, ConsentFactory

        consent = ConsentFactory(application=ApplicationFactory(environment=sandbox))

        response = sandbox_client.post(f"/v1/sandbox/consents/{consent.public_id}/expire")

        assert response.status_code == 200, response.content
        assert response.json()["status"] == "expired"
        assert Event.objects.filter(type="consent.expired", object_id=consent.public_id).exists()

    def test_an_expired_consent_cannot_expire_again_and_another_partners_is_a_404(self, sandbox_client, sandbox):
        from tests.oauth_clients.factories import ApplicationFactory, ConsentFactory

        consent = ConsentFactory(application=ApplicationFactory(environment=sandbox))
        other = ConsentFactory()
        sandbox_client.post(f"/v1/sandbox/consents/{consent.public_id}/expire")

        response = sandbox_client.post(f"/v1/sandbox/consents/{consent.public_id}/expire")

        assert_problem(response, 409, "invalid_state_transition")
        assert_problem(sandbox_client.post(f"/v1/sandbox/consents/{other.public_id}/expire"), 404, "resource_missing")
        other.refresh_from_db()
        assert other.status == "authorized"
