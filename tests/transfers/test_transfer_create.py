"""``POST /v1/transfers``: each type's happy path (balances, journal, transactions, events), every refusal with
nothing written, and idempotency."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from apps.core.models import IdempotencyKey
from apps.transfers.models import FxQuote, Transfer
from apps.transfers.snapshots import transfer_snapshot
from apps.wallets.models import Entry, Hold, Transaction, Wallet
from tests.helpers import assert_problem, balances, post_transfer, status_history
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory
from tests.transfers.factories import journal_totals, make_quote, run_rail, table_counts, transfer_events
from tests.wallets.factories import DECLINED_ACCOUNT_NUMBER, add_bank_account, add_card, make_holder, make_wallet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_rail")]

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def p2p(source, destination, amount=2_500, **extra):
    return {
        "type": "p2p",
        "source": source.public_id,
        "destination": destination.public_id,
        "amount": amount,
        "currency": "USD",
        **extra,
    }


def entries(journal_id: int) -> list[tuple[str, int]]:
    return [
        (entry.account.wallet.public_id if entry.account.wallet else entry.account.code, entry.amount)
        for entry in Entry.objects.filter(journal_id=journal_id).select_related("account__wallet").order_by("pk")
    ]


class TestP2p:
    def test_moves_the_money_at_once_and_answers_succeeded(self, sandbox_client, usd, grace_usd):
        response = post_transfer(
            sandbox_client, p2p(usd, grace_usd, description="Dinner", metadata={"order_id": "6735"})
        )

        assert response.status_code == 201, response.content
        transfer = Transfer.objects.get()
        body = response.json()
        assert body == transfer_snapshot(transfer)
        assert body["id"].startswith("tr_") and body["object"] == "transfer" and body["environment"] == "sandbox"
        assert (body["type"], body["status"], body["amount"], body["currency"]) == ("p2p", "succeeded", 2_500, "USD")
        assert (body["source"], body["destination"]) == (usd.public_id, grace_usd.public_id)
        assert (body["amount_reversed"], body["failure"], body["fx"]) == (0, None, None)
        assert (body["description"], body["metadata"]) == ("Dinner", {"order_id": "6735"})
        assert balances(usd) == (7_500, 7_500)
        assert balances(grace_usd) == (2_500, 2_500)

    def test_posts_one_balanced_journal_with_a_transaction_on_each_side(self, sandbox_client, usd, grace_usd):
        post_transfer(sandbox_client, p2p(usd, grace_usd))

        transfer = Transfer.objects.get()
        assert transfer.journal.kind == "transfer"
        assert entries(transfer.journal_id) == [(usd.public_id, -2_500), (grace_usd.public_id, 2_500)]
        assert journal_totals(transfer.journal_id) == {"USD": 0}
        txns = Transaction.objects.filter(journal=transfer.journal).order_by("amount")
        assert [(t.wallet_id, t.type, t.status, t.amount, t.counterparty) for t in txns] == [
            (usd.pk, "transfer", "posted", -2_500, "Grace Hopper"),
            (grace_usd.pk, "transfer", "posted", 2_500, "Ada Lovelace"),
        ]
        assert [t.balance_after for t in txns] == [7_500, 2_500]

    def test_records_created_then_succeeded_with_sequences_and_previous_attributes(
        self, sandbox_client, usd, grace_usd
    ):
        post_transfer(sandbox_client, p2p(usd, grace_usd))

        transfer = Transfer.objects.get()
        assert transfer_events(transfer) == [
            ("transfer.created", 1, "pending", {}),
            ("transfer.succeeded", 2, "succeeded", {"status": "pending"}),
        ]
        assert status_history(transfer) == [("", "pending", "created"), ("pending", "succeeded", "")]

    def test_two_wallets_of_one_holder_may_trade(self, sandbox_client, ada, usd):
        other = make_wallet(holder=make_holder(partner=ada.partner, name="Ada Lovelace"), currency="USD")

        response = post_transfer(sandbox_client, p2p(usd, other, amount=1))

        assert response.json()["status"] == "succeeded"
        assert balances(other) == (1, 1)

    def test_the_whole_balance_can_be_sent(self, sandbox_client, usd, grace_usd):
        response = post_transfer(sandbox_client, p2p(usd, grace_usd, amount=10_000))

        assert response.status_code == 201
        assert balances(usd) == (0, 0)


class TestTopUp:
    def test_shows_a_pending_credit_until_the_rail_settles_it(self, sandbox_client, ada, usd, bank):
        response = post_transfer(
            sandbox_client,
            {
                "type": "top_up",
                "source": bank.public_id,
                "destination": usd.public_id,
                "amount": 5_000,
                "currency": "USD",
            },
        )

        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["type"], body["status"], body["source"], body["destination"]) == (
            "top_up",
            "pending",
            bank.public_id,
            usd.public_id,
        )
        transfer = Transfer.objects.get()
        assert transfer.journal is None and transfer.next_action_at is not None
        pending = transfer.pending_transaction
        assert (pending.wallet_id, pending.type, pending.status, pending.amount) == (
            usd.pk,
            "deposit",
            "pending",
            5_000,
        )
        assert balances(usd) == (10_000, 10_000)

        settled = run_rail(transfer)

        assert settled.status == "succeeded"
        assert balances(usd) == (15_000, 15_000)
        pending.refresh_from_db()
        assert (pending.status, pending.journal_id, pending.balance_after) == ("posted", settled.journal_id, 15_000)
        assert settled.journal.kind == "deposit"
        assert entries(settled.journal_id) == [(usd.public_id, 5_000), ("clearing:bank", -5_000)]
        assert journal_totals(settled.journal_id) == {"USD": 0}

    def test_goes_pending_processing_succeeded_with_its_events(self, sandbox_client, usd, bank):
        post_transfer(
            sandbox_client,
            {
                "type": "top_up",
                "source": bank.public_id,
                "destination": usd.public_id,
                "amount": 5_000,
                "currency": "USD",
            },
        )
        transfer = run_rail(Transfer.objects.get())

        assert status_history(transfer) == [
            ("", "pending", "created"),
            ("pending", "processing", "submitted"),
            ("processing", "succeeded", ""),
        ]
        assert transfer_events(transfer) == [
            ("transfer.created", 1, "pending", {}),
            ("transfer.succeeded", 2, "succeeded", {"status": "processing", "funding_attempts": []}),
        ]
        assert (transfer.next_action_at, transfer.lease_until) == (None, None)

    def test_without_a_source_the_first_source_of_the_fallback_order_is_used(self, sandbox_client, ada, usd):
        card = add_card(holder=ada)
        add_bank_account(holder=ada)

        response = post_transfer(
            sandbox_client, {"type": "top_up", "destination": usd.public_id, "amount": 700, "currency": "USD"}
        )

        assert response.status_code == 201, response.content
        assert response.json()["source"] == card.public_id
        assert not Transfer.objects.get().funding_source_explicit

    def test_a_declined_fallback_source_falls_back_to_the_next_one(self, sandbox_client, ada, usd):
        add_bank_account(holder=ada, account_number=DECLINED_ACCOUNT_NUMBER)
        good = add_bank_account(holder=ada)
        post_transfer(
            sandbox_client, {"type": "top_up", "destination": usd.public_id, "amount": 700, "currency": "USD"}
        )

        transfer = run_rail(Transfer.objects.get())

        assert (transfer.status, transfer.funding_source_id) == ("succeeded", good.pk)
        assert transfer_snapshot(transfer)["source"] == good.public_id
        assert balances(usd) == (10_700, 10_700)

    def test_a_fallback_records_each_attempt_in_the_transfer_its_history_and_its_event(self, sandbox_client, ada, usd):
        declined = add_bank_account(holder=ada, account_number=DECLINED_ACCOUNT_NUMBER)
        good = add_bank_account(holder=ada)
        with time_machine.travel(NOW, tick=False):
            created = post_transfer(
                sandbox_client, {"type": "top_up", "destination": usd.public_id, "amount": 700, "currency": "USD"}
            ).json()
            transfer = run_rail(Transfer.objects.get())

        attempts = [
            {"source": declined.public_id, "outcome": "failed", "failure_code": "funding_source_declined",
             "at": "2026-11-22T09:30:00Z"},
            {"source": good.public_id, "outcome": "succeeded", "failure_code": None, "at": "2026-11-22T09:30:00Z"},
        ]  # fmt: skip
        assert (created["source"], created["funding_attempts"]) == (declined.public_id, [])
        detail = sandbox_client.get(f"/v1/transfers/{transfer.public_id}").json()
        assert (detail["source"], detail["funding_attempts"]) == (good.public_id, attempts)
        assert status_history(transfer)[-1] == ("processing", "succeeded", "funding_source_fallback")
        succeeded = transfer_events(transfer)[-1]
        assert succeeded == (
            "transfer.succeeded",
            2,
            "succeeded",
            {"status": "processing", "source": declined.public_id, "funding_attempts": []},
        )

    def test_a_named_source_that_declines_records_its_one_failed_attempt(self, sandbox_client, ada, usd):
        declined = add_bank_account(holder=ada, account_number=DECLINED_ACCOUNT_NUMBER)
        add_bank_account(holder=ada)
        body = {"type": "top_up", "source": declined.public_id, "destination": usd.public_id, "amount": 700}
        post_transfer(sandbox_client, {**body, "currency": "USD"})

        transfer = run_rail(Transfer.objects.get())

        assert transfer.status == "failed"
        assert [(a["source"], a["outcome"], a["failure_code"]) for a in transfer.funding_attempts] == [
            (declined.public_id, "failed", "funding_source_declined")
        ]

    def test_a_named_source_that_declines_fails_the_top_up_and_drops_the_pending_credit(self, sandbox_client, ada, usd):
        declined = add_bank_account(holder=ada, account_number=DECLINED_ACCOUNT_NUMBER)
        add_bank_account(holder=ada)
        post_transfer(
            sandbox_client,
            {
                "type": "top_up",
                "source": declined.public_id,
                "destination": usd.public_id,
                "amount": 700,
                "currency": "USD",
            },
        )

        transfer = run_rail(Transfer.objects.get())

        assert (transfer.status, transfer.failure_code) == ("failed", "funding_source_declined")
        assert transfer.failure_message
        assert transfer.pending_transaction.status == "reversed"
        assert transfer.journal is None
        assert balances(usd) == (10_000, 10_000)
        assert transfer_events(transfer)[-1] == (
            "transfer.failed",
            2,
            "failed",
            {"status": "processing", "funding_attempts": []},
        )

    def test_every_source_declining_fails_the_top_up(self, sandbox_client, ada, usd):
        add_card(holder=ada, last4="0002")
        add_bank_account(holder=ada, account_number=DECLINED_ACCOUNT_NUMBER)
        post_transfer(
            sandbox_client, {"type": "top_up", "destination": usd.public_id, "amount": 700, "currency": "USD"}
        )

        transfer = run_rail(Transfer.objects.get())

        assert (transfer.status, transfer.failure_code) == ("failed", "funding_source_declined")
        assert balances(usd) == (10_000, 10_000)


class TestPayout:
    def test_holds_the_money_at_once_and_pays_it_out_when_the_rail_settles(self, sandbox_client, usd, bank):
        response = post_transfer(
            sandbox_client,
            {
                "type": "payout",
                "source": usd.public_id,
                "destination": bank.public_id,
                "amount": 4_000,
                "currency": "USD",
            },
        )

        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["type"], body["status"], body["source"], body["destination"]) == (
            "payout",
            "pending",
            usd.public_id,
            bank.public_id,
        )
        transfer = Transfer.objects.get()
        assert (transfer.hold.status, transfer.hold.amount) == ("held", 4_000)
        held_txn = transfer.hold.transaction
        assert (held_txn.type, held_txn.status, held_txn.amount) == ("withdrawal", "pending", -4_000)
        assert balances(usd) == (10_000, 6_000)

        settled = run_rail(transfer)

        assert settled.status == "succeeded"
        assert balances(usd) == (6_000, 6_000)
        assert Hold.objects.get(pk=transfer.hold_id).status == "captured"
        held_txn.refresh_from_db()
        assert (held_txn.status, held_txn.journal_id) == ("posted", settled.journal_id)
        assert settled.journal.kind == "hold_capture"
        assert entries(settled.journal_id) == [(usd.public_id, -4_000), ("clearing:bank", 4_000)]
        assert [(a["source"], a["outcome"], a["failure_code"]) for a in settled.funding_attempts] == [
            (bank.public_id, "succeeded", None)
        ]
        assert transfer_events(settled) == [
            ("transfer.created", 1, "pending", {}),
            ("transfer.succeeded", 2, "succeeded", {"status": "processing", "funding_attempts": []}),
        ]

    def test_a_closed_bank_account_fails_the_payout_and_releases_the_hold(self, sandbox_client, ada, usd):
        closed = add_bank_account(holder=ada, account_number=DECLINED_ACCOUNT_NUMBER)
        post_transfer(
            sandbox_client,
            {
                "type": "payout",
                "source": usd.public_id,
                "destination": closed.public_id,
                "amount": 4_000,
                "currency": "USD",
            },
        )

        transfer = run_rail(Transfer.objects.get())

        assert (transfer.status, transfer.failure_code) == ("failed", "bank_account_closed")
        assert transfer.hold.status == "released"
        assert transfer.hold.transaction.status == "reversed"
        assert transfer.journal is None
        assert balances(usd) == (10_000, 10_000)
        assert [event[0] for event in transfer_events(transfer)] == ["transfer.created", "transfer.failed"]


class TestFx:
    @time_machine.travel(NOW, tick=False)
    def test_converts_between_two_wallets_of_one_holder_with_a_quote_from_the_api(self, sandbox_client, usd, eur):
        quote = sandbox_client.post(
            "/v1/fx/quotes",
            {"source_currency": "USD", "destination_currency": "EUR", "source_amount": 10_000},
            format="json",
            HTTP_IDEMPOTENCY_KEY="quote-1",
        ).json()

        response = post_transfer(
            sandbox_client, {"type": "fx", "quote": quote["id"], "source": usd.public_id, "destination": eur.public_id}
        )

        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["type"], body["status"], body["amount"], body["currency"]) == ("fx", "succeeded", 10_000, "USD")
        assert body["fx"] == {
            "quote": quote["id"],
            "rate": "0.9234",
            "destination_amount": {"amount": 9_187, "currency": "EUR"},
            "fee": {"amount": 50, "currency": "USD"},
        }
        assert balances(usd) == (0, 0)
        assert balances(eur) == (9_187, 9_187)
        transfer = Transfer.objects.get()
        assert transfer.journal.kind == "fx"
        assert sorted(entries(transfer.journal_id)) == sorted(
            [(usd.public_id, -10_000), ("fx", 9_950), ("fees", 50), ("fx", -9_187), (eur.public_id, 9_187)]
        )
        assert journal_totals(transfer.journal_id) == {"USD": 0, "EUR": 0}
        assert {t.type for t in Transaction.objects.filter(journal=transfer.journal)} == {"fx"}
        assert FxQuote.objects.get(public_id=quote["id"]).used_at == NOW
        assert transfer_events(transfer) == [
            ("transfer.created", 1, "pending", {}),
            ("transfer.succeeded", 2, "succeeded", {"status": "pending"}),
        ]

    def test_the_quotes_amount_and_currency_may_be_repeated(self, sandbox_client, sandbox, usd, eur):
        quote = make_quote(environment=sandbox, source_amount=1_000)

        response = post_transfer(
            sandbox_client,
            {
                "type": "fx",
                "quote": quote.public_id,
                "source": usd.public_id,
                "destination": eur.public_id,
                "amount": 1_000,
                "currency": "USD",
            },
        )

        assert response.status_code == 201, response.content


# --- Refusals: each is a problem+json with a stable code and writes nothing ------------------------------------
def refused(client, body, status: int, code: str, *, key: str | None = "refused-1") -> dict:
    before = table_counts()
    problem = assert_problem(post_transfer(client, body, key=key), status, code)
    assert table_counts() == before
    return problem


class TestRefusals:
    def test_insufficient_funds(self, sandbox_client, usd, grace_usd):
        problem = refused(sandbox_client, p2p(usd, grace_usd, amount=10_001), 422, "insufficient_funds")

        assert "10000" in problem["detail"]
        assert balances(usd) == (10_000, 10_000)

    def test_insufficient_funds_for_a_payout(self, sandbox_client, usd, bank):
        body = {"type": "payout", "source": usd.public_id, "destination": bank.public_id, "amount": 10_001}
        refused(sandbox_client, {**body, "currency": "USD"}, 422, "insufficient_funds")

    def test_insufficient_funds_for_fx(self, sandbox_client, sandbox, usd, eur):
        quote = make_quote(environment=sandbox, source_amount=10_001)
        body = {"type": "fx", "quote": quote.public_id, "source": usd.public_id, "destination": eur.public_id}

        refused(sandbox_client, body, 422, "insufficient_funds")

        quote.refresh_from_db()
        assert quote.used_at is None

    def test_money_set_aside_by_a_hold_is_not_available(self, sandbox_client, usd, grace_usd, bank):
        body = {"type": "payout", "source": usd.public_id, "destination": bank.public_id, "amount": 9_000}
        assert post_transfer(sandbox_client, {**body, "currency": "USD"}, key="payout").status_code == 201

        refused(sandbox_client, p2p(usd, grace_usd, amount=1_001), 422, "insufficient_funds")

    def test_limit_exceeded_says_which_limit_and_when_it_resets(self, sandbox_client, partner):
        holder = make_holder(partner=partner, kyc_tier="unverified")
        source = make_wallet(holder=holder, balance=100_000)
        destination = make_wallet(holder=make_holder(partner=partner, name="Other"))

        problem = refused(sandbox_client, p2p(source, destination, amount=50_001), 422, "limit_exceeded")

        assert (problem["limit"], problem["limit_amount"], problem["resets_at"]) == (
            "per_transfer",
            {"amount": 50_000, "currency": "USD"},
            None,
        )

    def test_a_daily_limit_names_when_it_fits_again(self, sandbox_client, partner):
        holder = make_holder(partner=partner, kyc_tier="unverified")
        source = make_wallet(holder=holder, balance=200_000)
        own = make_wallet(holder=make_holder(partner=partner, name="Ada Lovelace", kyc_tier="unverified"))
        with time_machine.travel(NOW, tick=False):
            for index in range(3):
                assert (
                    post_transfer(sandbox_client, p2p(source, own, amount=30_000), key=f"k{index}").status_code == 201
                )
        with time_machine.travel(NOW + timedelta(hours=1), tick=False):
            problem = refused(sandbox_client, p2p(source, own, amount=20_000), 422, "limit_exceeded")

        assert problem["limit"] == "daily"
        assert problem["used"] == {"amount": 90_000, "currency": "USD"}
        assert problem["resets_at"] == "2026-11-23T09:30:00Z"
        assert problem["window_seconds"] == 86_400

    def test_currency_mismatch_on_the_source(self, sandbox_client, usd, grace_usd):
        problem = refused(sandbox_client, p2p(usd, grace_usd, currency="EUR"), 422, "currency_mismatch")

        assert problem["errors"][0]["field"] == "currency"

    def test_currency_mismatch_on_the_destination(self, sandbox_client, usd, grace):
        grace_eur = make_wallet(holder=grace, currency="EUR")

        problem = refused(sandbox_client, p2p(usd, grace_eur), 422, "currency_mismatch")

        assert problem["errors"][0]["field"] == "destination"

    def test_currency_mismatch_with_the_funding_source(self, sandbox_client, ada, usd):
        gbp_account = add_bank_account(holder=ada, currency="GBP")
        body = {"type": "top_up", "source": gbp_account.public_id, "destination": usd.public_id, "amount": 100}

        problem = refused(sandbox_client, {**body, "currency": "USD"}, 422, "currency_mismatch")

        assert problem["errors"][0]["field"] == "source"

    def test_currency_mismatch_with_the_quote(self, sandbox_client, sandbox, ada, usd):
        gbp = make_wallet(holder=ada, currency="GBP")
        quote = make_quote(environment=sandbox, source_amount=1_000)
        body = {"type": "fx", "quote": quote.public_id, "source": usd.public_id, "destination": gbp.public_id}

        problem = refused(sandbox_client, body, 422, "currency_mismatch")

        assert problem["errors"][0]["field"] == "destination"

    @pytest.mark.parametrize("frozen", ["source", "destination"])
    def test_wallet_frozen(self, sandbox_client, usd, grace_usd, frozen):
        Wallet.objects.filter(pk=(usd if frozen == "source" else grace_usd).pk).update(status="frozen")

        refused(sandbox_client, p2p(usd, grace_usd), 422, "wallet_frozen")

    def test_wallet_frozen_for_a_top_up(self, sandbox_client, usd, bank):
        Wallet.objects.filter(pk=usd.pk).update(status="frozen")
        body = {"type": "top_up", "source": bank.public_id, "destination": usd.public_id, "amount": 100}

        refused(sandbox_client, {**body, "currency": "USD"}, 422, "wallet_frozen")

    def test_quote_expired(self, sandbox_client, sandbox, usd, eur):
        with time_machine.travel(NOW, tick=False):
            quote = make_quote(environment=sandbox, source_amount=1_000)
        body = {"type": "fx", "quote": quote.public_id, "source": usd.public_id, "destination": eur.public_id}

        with time_machine.travel(NOW + timedelta(seconds=60), tick=False):
            problem = refused(sandbox_client, body, 422, "quote_expired")

        assert problem["expires_at"] == "2026-11-22T09:31:00Z"

    def test_a_quote_is_usable_until_its_last_second(self, sandbox_client, sandbox, usd, eur):
        with time_machine.travel(NOW, tick=False):
            quote = make_quote(environment=sandbox, source_amount=1_000)
        body = {"type": "fx", "quote": quote.public_id, "source": usd.public_id, "destination": eur.public_id}

        with time_machine.travel(NOW + timedelta(seconds=59), tick=False):
            assert post_transfer(sandbox_client, body).status_code == 201

    def test_the_sandbox_clock_expires_quotes(self, sandbox_client, sandbox, usd, eur):
        quote = make_quote(environment=sandbox, source_amount=1_000)
        sandbox.clock_offset = timedelta(minutes=5)
        sandbox.save()
        body = {"type": "fx", "quote": quote.public_id, "source": usd.public_id, "destination": eur.public_id}

        refused(sandbox_client, body, 422, "quote_expired")

    def test_quote_used(self, sandbox_client, sandbox, usd, eur):
        quote = make_quote(environment=sandbox, source_amount=1_000)
        body = {"type": "fx", "quote": quote.public_id, "source": usd.public_id, "destination": eur.public_id}
        assert post_transfer(sandbox_client, body, key="first").status_code == 201

        refused(sandbox_client, body, 422, "quote_used", key="second")

    def test_another_partners_quote_is_a_404(self, sandbox_client, usd, eur):
        other = PartnerFactory()
        quote = make_quote(environment=other.environments.get(kind="sandbox"), source_amount=1_000)
        body = {"type": "fx", "quote": quote.public_id, "source": usd.public_id, "destination": eur.public_id}

        refused(sandbox_client, body, 404, "resource_missing")

    def test_an_amount_other_than_the_quotes_is_a_quote_mismatch(self, sandbox_client, sandbox, usd, eur):
        quote = make_quote(environment=sandbox, source_amount=1_000)
        body = {"type": "fx", "quote": quote.public_id, "source": usd.public_id, "destination": eur.public_id}

        refused(sandbox_client, {**body, "amount": 999}, 422, "quote_mismatch")

    def test_same_wallet(self, sandbox_client, usd):
        problem = refused(sandbox_client, p2p(usd, usd), 422, "same_wallet")

        assert problem["errors"] == [
            {"field": "destination", "code": "same_wallet", "message": "Must differ from the source."}
        ]

    def test_same_wallet_for_fx(self, sandbox_client, sandbox, usd):
        quote = make_quote(environment=sandbox, source_amount=1_000)
        body = {"type": "fx", "quote": quote.public_id, "source": usd.public_id, "destination": usd.public_id}

        refused(sandbox_client, body, 422, "same_wallet")

    def test_holder_mismatch_for_fx_between_two_holders(self, sandbox_client, sandbox, usd, grace):
        grace_eur = make_wallet(holder=grace, currency="EUR")
        quote = make_quote(environment=sandbox, source_amount=1_000)
        body = {"type": "fx", "quote": quote.public_id, "source": usd.public_id, "destination": grace_eur.public_id}

        refused(sandbox_client, body, 422, "holder_mismatch")

    def test_points_never_go_to_another_holder(self, sandbox_client, ada, grace):
        points = make_wallet(holder=ada, currency="XPT", balance=500)
        grace_points = make_wallet(holder=grace, currency="XPT")

        refused(
            sandbox_client, {**p2p(points, grace_points, amount=100), "currency": "XPT"}, 422, "points_not_transferable"
        )

    def test_another_partners_wallet_is_a_404_naming_the_field(self, sandbox_client, usd):
        foreign = make_wallet(holder=make_holder(partner=PartnerFactory()))

        problem = refused(sandbox_client, p2p(usd, foreign), 404, "resource_missing")

        assert problem["errors"] == [{"field": "destination", "code": "resource_missing", "message": "No such wallet."}]

    def test_another_partners_wallet_as_the_source_is_a_404(self, sandbox_client, grace_usd):
        foreign = make_wallet(holder=make_holder(partner=PartnerFactory()), balance=5_000)

        problem = refused(sandbox_client, p2p(foreign, grace_usd), 404, "resource_missing")

        assert problem["errors"][0]["field"] == "source"
        assert balances(foreign) == (5_000, 5_000)

    def test_a_live_wallet_is_a_404_to_a_sandbox_key(self, sandbox_client, partner, usd):
        LiveEnvironmentFactory(partner=partner)
        live = make_wallet(holder=make_holder(environment="live"))

        refused(sandbox_client, p2p(usd, live), 404, "resource_missing")

    def test_another_holders_funding_source_is_a_404(self, sandbox_client, usd, grace):
        graces = add_bank_account(holder=grace)
        body = {"type": "top_up", "source": graces.public_id, "destination": usd.public_id, "amount": 100}

        problem = refused(sandbox_client, {**body, "currency": "USD"}, 404, "resource_missing")

        assert problem["errors"][0]["field"] == "source"

    def test_a_payout_to_a_card_is_refused(self, sandbox_client, ada, usd):
        card = add_card(holder=ada)
        body = {"type": "payout", "source": usd.public_id, "destination": card.public_id, "amount": 100}

        refused(sandbox_client, {**body, "currency": "USD"}, 422, "funding_source_unusable")

    def test_a_top_up_without_any_funding_source_is_refused(self, sandbox_client, usd):
        body = {"type": "top_up", "destination": usd.public_id, "amount": 100, "currency": "USD"}

        refused(sandbox_client, body, 422, "funding_source_missing")


class TestBadInput:
    def test_an_unknown_field_is_refused(self, sandbox_client, usd, grace_usd):
        problem = refused(sandbox_client, p2p(usd, grace_usd, amount_cents=100), 400, "parameter_unknown")

        assert problem["errors"] == [
            {"field": "amount_cents", "code": "parameter_unknown", "message": "Unknown parameter."}
        ]

    @pytest.mark.parametrize(
        ("kind", "fields"),
        [
            ("p2p", {"source", "destination", "amount", "currency"}),
            ("payout", {"source", "destination", "amount", "currency"}),
            ("top_up", {"destination", "amount", "currency"}),
            ("fx", {"quote", "source", "destination"}),
        ],
    )
    def test_each_type_names_the_fields_it_needs(self, sandbox_client, kind, fields):
        problem = refused(sandbox_client, {"type": kind}, 400, "parameter_missing")

        assert {e["field"] for e in problem["errors"]} == fields
        assert {e["code"] for e in problem["errors"]} == {"parameter_missing"}

    def test_a_type_is_required(self, sandbox_client, usd, grace_usd):
        body = p2p(usd, grace_usd)
        del body["type"]

        problem = refused(sandbox_client, body, 400, "parameter_missing")

        assert [e["field"] for e in problem["errors"]] == ["type"]

    def test_an_unknown_type_is_invalid(self, sandbox_client, usd, grace_usd):
        problem = refused(sandbox_client, p2p(usd, grace_usd, type="wire"), 400, "parameter_invalid")

        assert problem["errors"][0]["field"] == "type"

    @pytest.mark.parametrize("amount", ["2500", 25.5, 0, -100, True, None, 2**53])
    def test_an_amount_that_is_not_a_positive_integer_is_refused(self, sandbox_client, usd, grace_usd, amount):
        problem = refused(sandbox_client, p2p(usd, grace_usd, amount=amount), 400, problem_code(amount))

        assert problem["errors"][0]["field"] == "amount"

    def test_a_quote_on_another_type_is_refused(self, sandbox_client, usd, grace_usd):
        problem = refused(sandbox_client, p2p(usd, grace_usd, quote="fxq_x"), 400, "parameter_invalid")

        assert problem["errors"][0]["field"] == "quote"

    @pytest.mark.parametrize(
        ("metadata", "field"),
        [
            ({f"k{i}": "v" for i in range(51)}, "metadata"),
            ({"k" * 41: "v"}, "metadata"),
            ({"": "v"}, "metadata"),
            ({"order": "v" * 501}, "metadata.order"),
            ({"order": {"nested": "x"}}, "metadata.order"),
            ({"order": ["x"]}, "metadata.order"),
            ("not a dict", "metadata"),
        ],
    )
    def test_metadata_breaking_the_rules_is_refused(self, sandbox_client, usd, grace_usd, metadata, field):
        problem = refused(sandbox_client, p2p(usd, grace_usd, metadata=metadata), 400, "parameter_invalid")

        assert problem["errors"][0]["field"] == field

    def test_metadata_at_the_limits_is_accepted(self, sandbox_client, usd, grace_usd):
        metadata = {f"{i:02d}" + "k" * 38: "v" * 500 for i in range(50)}

        response = post_transfer(sandbox_client, p2p(usd, grace_usd, metadata=metadata))

        assert response.status_code == 201, response.content
        assert response.json()["metadata"] == metadata

    def test_a_description_over_500_characters_is_refused(self, sandbox_client, usd, grace_usd):
        refused(sandbox_client, p2p(usd, grace_usd, description="x" * 501), 400, "parameter_invalid")

    def test_a_body_that_is_not_json_is_a_parse_error(self, sandbox_client):
        before = table_counts()
        response = sandbox_client.post(
            "/v1/transfers", data="{", content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
        )

        assert_problem(response, 400, "parse_error")
        assert table_counts() == before


def problem_code(amount) -> str:
    return "parameter_missing" if amount is None else "parameter_invalid"


class TestIdempotency:
    def test_an_idempotency_key_is_required(self, sandbox_client, usd, grace_usd):
        refused(sandbox_client, p2p(usd, grace_usd), 400, "idempotency_key_required", key=None)

    def test_the_same_key_and_body_replay_the_first_response(self, sandbox_client, usd, grace_usd):
        first = post_transfer(sandbox_client, p2p(usd, grace_usd))

        counts = table_counts()
        second = post_transfer(sandbox_client, p2p(usd, grace_usd))

        assert second.status_code == 201
        assert second["Idempotent-Replayed"] == "true"
        assert "Idempotent-Replayed" not in first
        assert second.json() == first.json()
        # Byte for byte, keys in their order (jsonb would have stored them sorted by length and name).
        assert second.content == first.content
        assert table_counts() == counts
        assert balances(usd) == (7_500, 7_500)

    def test_the_record_commits_with_the_transfer(self, sandbox_client, usd, grace_usd):
        response = post_transfer(sandbox_client, p2p(usd, grace_usd))

        record = IdempotencyKey.objects.get()
        assert (record.status, record.response_status, record.resource_id) == ("completed", 201, response.json()["id"])
        assert record.response_body == response.json()

    def test_a_replay_of_a_top_up_shows_it_as_it_was_created(self, sandbox_client, usd, bank):
        body = {"type": "top_up", "source": bank.public_id, "destination": usd.public_id, "amount": 500}
        first = post_transfer(sandbox_client, {**body, "currency": "USD"})
        run_rail(Transfer.objects.get())

        second = post_transfer(sandbox_client, {**body, "currency": "USD"})

        assert second.json() == first.json()
        assert second.json()["status"] == "pending"
        assert Transfer.objects.count() == 1

    def test_the_same_key_with_another_body_is_refused(self, sandbox_client, usd, grace_usd):
        post_transfer(sandbox_client, p2p(usd, grace_usd), key="k")

        refused(sandbox_client, p2p(usd, grace_usd, amount=2_501), 422, "idempotency_key_reused", key="k")

    def test_a_refused_request_leaves_its_key_free_to_retry(self, sandbox_client, usd, grace_usd):
        refused(sandbox_client, p2p(usd, grace_usd, amount=20_000), 422, "insufficient_funds", key="retry")

        response = post_transfer(sandbox_client, p2p(usd, grace_usd, amount=20_000), key="retry")

        assert_problem(response, 422, "insufficient_funds")
        assert not IdempotencyKey.objects.exists()

    def test_keys_are_scoped_per_partner(self, sandbox_client, client_for, usd, grace_usd):
        from apps.partners.services import api_key_create

        other = PartnerFactory()
        source = make_wallet(holder=make_holder(partner=other), balance=100)
        destination = make_wallet(holder=make_holder(partner=other, name="Other"))
        other_client = client_for(api_key_create(environment=other.environments.get(kind="sandbox")).secret)
        first = post_transfer(sandbox_client, p2p(usd, grace_usd), key="shared")

        second = post_transfer(other_client, p2p(source, destination, amount=100), key="shared")

        assert second.status_code == 201 and "Idempotent-Replayed" not in second
        assert second.json()["id"] != first.json()["id"]

    def test_an_invalid_key_is_refused(self, sandbox_client, usd, grace_usd):
        refused(sandbox_client, p2p(usd, grace_usd), 400, "idempotency_key_invalid", key="has space")

    def test_a_request_whose_claim_was_taken_over_moves_no_money(self, sandbox_client, monkeypatch, usd, grace_usd):
        from apps.core.idempotency import IdempotencyHandle

        completion = IdempotencyHandle.completion

        def taken_over(handle, result):
            # Another request took the key over while this one ran: completing must roll the transfer back.
            IdempotencyKey.objects.filter(pk=handle.record_id).update(lease_token="someone-else")
            return completion(handle, result)

        monkeypatch.setattr(IdempotencyHandle, "completion", taken_over)
        before = table_counts()

        assert_problem(post_transfer(sandbox_client, p2p(usd, grace_usd)), 409, "idempotency_key_in_use")

        assert {k: v for k, v in table_counts().items() if k != "IdempotencyKey"} == {
            k: v for k, v in before.items() if k != "IdempotencyKey"
        }
        assert balances(usd) == (10_000, 10_000)

    def test_a_key_still_in_use_is_a_409(self, sandbox_client, sandbox, usd, grace_usd):
        from django.utils import timezone

        from apps.core.idempotency import fingerprint

        body = p2p(usd, grace_usd)
        IdempotencyKey.objects.create(
            scope=f"{sandbox.partner.public_id}:sandbox",
            key="busy",
            fingerprint=fingerprint(method="POST", path="/v1/transfers", data=body),
            method="POST",
            path="/v1/transfers",
            lease_token="other",
            locked_until=timezone.now() + timedelta(seconds=30),
            created_at=timezone.now(),
        )

        response = post_transfer(sandbox_client, body, key="busy")

        assert_problem(response, 409, "idempotency_key_in_use")
        assert response["Retry-After"] == "1"
        assert not Transfer.objects.exists()


class TestVelocity:
    def test_too_many_transfers_in_the_window_is_a_velocity_limit(self, sandbox_client, partner):
        from tests.transfers.factories import make_transfer_row

        holder = make_holder(partner=partner, kyc_tier="unverified")
        source = make_wallet(holder=holder, balance=1_000)
        destination = make_wallet(holder=make_holder(partner=partner, name="Other"))
        with time_machine.travel(NOW, tick=False):
            for minute in range(10):
                make_transfer_row(
                    source=source, destination=destination, amount=1, initiated_at=NOW - timedelta(minutes=minute)
                )

            problem = refused(sandbox_client, p2p(source, destination, amount=1), 422, "limit_exceeded")

        assert (problem["limit"], problem["limit_count"], problem["used"]) == ("velocity", 10, 10)
        assert problem["resets_at"] == "2026-11-22T10:21:00Z"  # the oldest, 09:21, leaves the hour
