"""``POST /v1/transfers/{id}/cancel`` (pending top-ups and payouts before the rail, held transfers) and the risk
review: the limits table's thresholds and the sandbox sanctions names hold a transfer, and bank staff release
or reject it, each outcome posting its journals and recording its events."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.transfers.lifecycle import transfer_advance, transfer_review_reject, transfer_review_release, transfers_due
from apps.transfers.models import Transfer
from apps.wallets.ledger import InvalidStateTransition
from apps.wallets.models import Hold, Wallet
from tests.helpers import assert_problem, balances, reread, status_history
from tests.partners.factories import PartnerFactory
from tests.transfers.factories import (
    create_transfer,
    journal_totals,
    make_quote,
    run_rail,
    table_counts,
    transfer_events,
)
from tests.wallets.factories import DECLINED_ACCOUNT_NUMBER, add_bank_account, make_holder, make_wallet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_rail")]

# Basic tier, USD (the seeded limits table): review above 2,000.00, a first transfer to someone at 1,000.00.
REVIEW_THRESHOLD = 200_000
NEW_COUNTERPARTY = 100_000


@pytest.fixture
def usd(ada):
    return make_wallet(holder=ada, currency="USD", balance=500_000)


def cancel(client, transfer, *, key: str | None = "cancel-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(f"/v1/transfers/{transfer.public_id}/cancel", format="json", **headers)


class TestCancel:
    def test_a_pending_top_up_is_canceled_before_the_rail_picks_it_up(self, sandbox_client, sandbox, usd, bank):
        top_up = create_transfer(
            sandbox, type="top_up", source=bank.public_id, destination=usd.public_id, amount=700, currency="USD"
        )

        response = cancel(sandbox_client, top_up)

        assert response.status_code == 200, response.content
        assert (response.json()["id"], response.json()["status"]) == (top_up.public_id, "canceled")
        top_up = reread(top_up)
        assert (top_up.pending_transaction.status, top_up.next_action_at, top_up.journal) == ("reversed", None, None)
        assert balances(usd) == (500_000, 500_000)
        assert status_history(top_up)[-1] == ("pending", "canceled", "requested")
        assert transfer_events(top_up)[-1] == ("transfer.canceled", 2, "canceled", {"status": "pending"})
        # The rail and the sweeper leave it alone from now on.
        assert transfer_advance(transfer_pk=top_up.pk) is None
        assert transfers_due(now=timezone.now() + timedelta(days=1)) == []

    def test_a_pending_payout_is_canceled_and_its_hold_released(self, sandbox_client, sandbox, usd, bank):
        payout = create_transfer(
            sandbox, type="payout", source=usd.public_id, destination=bank.public_id, amount=4_000, currency="USD"
        )
        assert balances(usd) == (500_000, 496_000)

        assert cancel(sandbox_client, payout).status_code == 200

        payout = reread(payout)
        assert (payout.status, payout.hold.status, payout.hold.transaction.status) == (
            "canceled",
            "released",
            "reversed",
        )
        assert balances(usd) == (500_000, 500_000)

    def test_a_held_p2p_transfer_is_canceled_and_its_money_released(self, sandbox_client, sandbox, usd, partner):
        sanctioned = make_wallet(holder=make_holder(partner=partner, name="Sanctioned Person"))
        held = create_transfer(
            sandbox, type="p2p", source=usd.public_id, destination=sanctioned.public_id, amount=900, currency="USD"
        )
        assert (held.status, balances(usd)) == ("held", (500_000, 499_100))

        response = cancel(sandbox_client, held)

        assert response.json()["status"] == "canceled"
        assert balances(usd) == (500_000, 500_000)
        assert balances(sanctioned) == (0, 0)
        assert [e[0] for e in transfer_events(held)] == ["transfer.created", "transfer.held", "transfer.canceled"]
        assert transfer_events(held)[-1][3] == {"status": "held"}

    def test_a_held_top_up_is_canceled_and_its_pending_credit_dropped(self, sandbox_client, sandbox, usd, ada):
        sanctioned_account = add_bank_account(holder=ada, name="Blocked Entity Ltd")
        held = create_transfer(
            sandbox,
            type="top_up",
            source=sanctioned_account.public_id,
            destination=usd.public_id,
            amount=700,
            currency="USD",
        )
        assert (held.status, held.review_reason) == ("held", "compliance_hold")

        assert cancel(sandbox_client, held).status_code == 200

        assert reread(held).pending_transaction.status == "reversed"

    @pytest.mark.parametrize("state", ["processing", "succeeded", "failed", "canceled"])
    def test_anything_else_is_an_invalid_state_transition(self, sandbox_client, sandbox, ada, usd, state):
        bank = add_bank_account(holder=ada, account_number=DECLINED_ACCOUNT_NUMBER if state == "failed" else "31926819")
        payout = create_transfer(
            sandbox, type="payout", source=usd.public_id, destination=bank.public_id, amount=100, currency="USD"
        )
        if state == "processing":
            transfer_advance(transfer_pk=payout.pk)
        elif state in ("succeeded", "failed"):
            run_rail(payout)
        else:
            assert cancel(sandbox_client, payout, key="first").status_code == 200
        assert reread(payout).status == state
        before = table_counts()

        problem = assert_problem(cancel(sandbox_client, payout), 409, "invalid_state_transition")

        assert table_counts() == before
        assert state in problem["detail"]

    def test_a_succeeded_p2p_transfer_cannot_be_canceled(self, sandbox_client, sandbox, usd, grace_usd):
        p2p = create_transfer(
            sandbox, type="p2p", source=usd.public_id, destination=grace_usd.public_id, amount=1, currency="USD"
        )
        before = table_counts()

        assert_problem(cancel(sandbox_client, p2p), 409, "invalid_state_transition")

        assert table_counts() == before

    def test_an_idempotency_key_is_required(self, sandbox_client, sandbox, usd, bank):
        payout = create_transfer(
            sandbox, type="payout", source=usd.public_id, destination=bank.public_id, amount=100, currency="USD"
        )
        before = table_counts()

        assert_problem(cancel(sandbox_client, payout, key=None), 400, "idempotency_key_required")

        assert table_counts() == before
        assert reread(payout).status == "pending"

    def test_the_same_key_replays_the_cancel(self, sandbox_client, sandbox, usd, bank):
        payout = create_transfer(
            sandbox, type="payout", source=usd.public_id, destination=bank.public_id, amount=100, currency="USD"
        )
        first = cancel(sandbox_client, payout)
        counts = table_counts()

        second = cancel(sandbox_client, payout)

        assert (second.status_code, second["Idempotent-Replayed"]) == (200, "true")
        assert second.json() == first.json()
        assert table_counts() == counts

    def test_the_same_key_on_another_transfer_is_refused(self, sandbox_client, sandbox, usd, bank):
        first, second = (
            create_transfer(
                sandbox, type="payout", source=usd.public_id, destination=bank.public_id, amount=a, currency="USD"
            )
            for a in (100, 200)
        )
        cancel(sandbox_client, first)

        assert_problem(cancel(sandbox_client, second), 422, "idempotency_key_reused")
        assert reread(second).status == "pending"

    def test_another_partners_transfer_is_a_404(self, sandbox_client):
        other = PartnerFactory()
        holder = make_holder(partner=other)
        theirs = create_transfer(
            other.environments.get(kind="sandbox"),
            type="payout",
            source=make_wallet(holder=holder, balance=100).public_id,
            destination=add_bank_account(holder=holder).public_id,
            amount=100,
            currency="USD",
        )
        before = table_counts()

        assert_problem(cancel(sandbox_client, theirs), 404, "resource_missing")

        assert table_counts() == before
        assert reread(theirs).status == "pending"


class TestReviewRules:
    def test_over_the_review_threshold_a_p2p_transfer_is_held_with_its_money_set_aside(
        self, sandbox_client, usd, grace_usd
    ):
        body = {"type": "p2p", "source": usd.public_id, "destination": grace_usd.public_id, "currency": "USD"}

        response = sandbox_client.post(
            "/v1/transfers", {**body, "amount": REVIEW_THRESHOLD + 1}, format="json", HTTP_IDEMPOTENCY_KEY="k"
        )

        assert response.status_code == 201, response.content
        assert (response.json()["status"], response.json()["review_reason"]) == ("held", "over_review_threshold")
        held = Transfer.objects.get()
        assert (held.hold.status, held.hold.amount, held.journal) == ("held", REVIEW_THRESHOLD + 1, None)
        assert balances(usd) == (500_000, 500_000 - REVIEW_THRESHOLD - 1)
        assert balances(grace_usd) == (0, 0)
        assert status_history(held) == [("", "pending", "created"), ("pending", "held", "over_review_threshold")]
        assert transfer_events(held) == [
            ("transfer.created", 1, "pending", {}),
            ("transfer.held", 2, "held", {"status": "pending"}),
        ]

    def test_at_the_threshold_it_is_not_held(self, sandbox, usd, grace_usd):
        create_transfer(
            sandbox, type="p2p", source=usd.public_id, destination=grace_usd.public_id, amount=1, currency="USD"
        )

        transfer = create_transfer(
            sandbox,
            type="p2p",
            source=usd.public_id,
            destination=grace_usd.public_id,
            amount=REVIEW_THRESHOLD,
            currency="USD",
        )

        assert transfer.status == "succeeded"

    def test_a_large_first_transfer_to_a_new_counterparty_is_held(self, sandbox, usd, grace_usd):
        first = create_transfer(
            sandbox,
            type="p2p",
            source=usd.public_id,
            destination=grace_usd.public_id,
            amount=NEW_COUNTERPARTY,
            currency="USD",
        )
        below = create_transfer(
            sandbox,
            type="p2p",
            source=usd.public_id,
            destination=grace_usd.public_id,
            amount=NEW_COUNTERPARTY - 1,
            currency="USD",
        )
        again = create_transfer(
            sandbox,
            type="p2p",
            source=usd.public_id,
            destination=grace_usd.public_id,
            amount=NEW_COUNTERPARTY,
            currency="USD",
        )

        assert (first.status, first.review_reason) == ("held", "new_counterparty")
        assert (below.status, again.status) == ("succeeded", "succeeded")  # Grace is known once one succeeded

    def test_a_sandbox_sanctions_test_name_holds_any_amount(self, sandbox, usd, partner):
        sanctioned = make_wallet(holder=make_holder(partner=partner, name="  ofac   TESTNAME "))

        transfer = create_transfer(
            sandbox, type="p2p", source=usd.public_id, destination=sanctioned.public_id, amount=1, currency="USD"
        )

        assert (transfer.status, transfer.review_reason) == ("held", "compliance_hold")

    @pytest.mark.parametrize("kind", ["top_up", "payout", "fx"])
    def test_top_ups_payouts_and_fx_over_the_threshold_are_held(self, sandbox, ada, usd, bank, kind):
        amount = REVIEW_THRESHOLD + 1
        if kind == "fx":
            quote = make_quote(environment=sandbox, source_amount=amount)
            eur = make_wallet(holder=ada, currency="EUR")
            parties = {"quote": quote.public_id, "source": usd.public_id, "destination": eur.public_id}
        else:
            parties = {"source": usd.public_id, "destination": bank.public_id, "amount": amount, "currency": "USD"}
            if kind == "top_up":
                parties.update(source=bank.public_id, destination=usd.public_id)

        transfer = create_transfer(sandbox, type=kind, **parties)

        assert (transfer.status, transfer.review_reason, transfer.next_action_at) == (
            "held",
            "over_review_threshold",
            None,
        )
        if kind == "top_up":
            assert transfer.pending_transaction.status == "pending"
            assert balances(usd) == (500_000, 500_000)
        else:
            assert (transfer.hold.status, transfer.hold.amount) == ("held", amount)
            assert balances(usd) == (500_000, 500_000 - amount)
        assert transfers_due(now=timezone.now() + timedelta(days=1)) == []  # the rail waits for the review


class TestReview:
    @pytest.fixture
    def held(self, sandbox, usd, grace_usd):
        return create_transfer(
            sandbox,
            type="p2p",
            source=usd.public_id,
            destination=grace_usd.public_id,
            amount=REVIEW_THRESHOLD + 1,
            currency="USD",
        )

    def test_release_posts_a_held_p2p_transfer(self, held, staff, usd, grace_usd):
        released = transfer_review_release(transfer_pk=held.pk, staff_user=staff)

        assert released.status == "succeeded"
        released = reread(held)
        assert Hold.objects.get(pk=held.hold_id).status == "released"
        assert journal_totals(released.journal_id) == {"USD": 0}
        assert balances(usd) == (500_000 - REVIEW_THRESHOLD - 1,) * 2
        assert balances(grace_usd) == (REVIEW_THRESHOLD + 1,) * 2
        assert status_history(released)[2:] == [("held", "pending", "staff_release"), ("pending", "succeeded", "")]
        assert set(released.status_changes.values_list("actor", flat=True)[2:]) == {"staff:reviewer@bank.test"}
        assert [e[:3] for e in transfer_events(released)] == [
            ("transfer.created", 1, "pending"),
            ("transfer.held", 2, "held"),
            ("transfer.succeeded", 3, "succeeded"),
        ]

    def test_release_posts_a_held_fx_transfer(self, sandbox, ada, usd, staff):
        eur = make_wallet(holder=ada, currency="EUR")
        quote = make_quote(environment=sandbox, source_amount=REVIEW_THRESHOLD + 1)
        held = create_transfer(
            sandbox, type="fx", quote=quote.public_id, source=usd.public_id, destination=eur.public_id
        )

        released = transfer_review_release(transfer_pk=held.pk, staff_user=staff)

        assert released.status == "succeeded"
        assert journal_totals(reread(held).journal_id) == {"USD": 0, "EUR": 0}
        assert balances(eur) == (quote.destination_amount,) * 2
        assert balances(usd) == (500_000 - REVIEW_THRESHOLD - 1,) * 2

    @pytest.mark.parametrize("kind", ["payout", "top_up"])
    def test_release_sends_a_held_payout_or_top_up_back_to_the_rail(self, sandbox, usd, bank, staff, kind):
        parties = (
            {"source": usd.public_id, "destination": bank.public_id}
            if kind == "payout"
            else {"source": bank.public_id, "destination": usd.public_id}
        )
        held = create_transfer(sandbox, type=kind, amount=REVIEW_THRESHOLD + 1, currency="USD", **parties)

        released = transfer_review_release(transfer_pk=held.pk, staff_user=staff)

        assert released.status == "pending" and released.next_action_at is not None
        assert transfers_due(now=timezone.now()) == [held.public_id]
        settled = run_rail(held)
        assert settled.status == "succeeded"
        change = REVIEW_THRESHOLD + 1 if kind == "top_up" else -(REVIEW_THRESHOLD + 1)
        assert balances(usd) == (500_000 + change,) * 2
        assert [e[0] for e in transfer_events(settled)] == ["transfer.created", "transfer.held", "transfer.succeeded"]
        assert [s for _, s, _ in status_history(settled)] == ["pending", "held", "pending", "processing", "succeeded"]

    def test_reject_fails_the_transfer_and_releases_its_money(self, held, staff, usd, grace_usd):
        rejected = transfer_review_reject(transfer_pk=held.pk, staff_user=staff)

        assert (rejected.status, rejected.failure_code) == ("failed", "review_rejected")
        assert rejected.failure_message
        assert Hold.objects.get(pk=held.hold_id).status == "released"
        assert balances(usd) == (500_000, 500_000)
        assert balances(grace_usd) == (0, 0)
        assert reread(held).journal is None
        assert transfer_events(rejected)[-1] == ("transfer.failed", 3, "failed", {"status": "held"})
        assert status_history(rejected)[-1] == ("held", "failed", "review_rejected")

    def test_reject_drops_a_held_top_ups_pending_credit(self, sandbox, usd, bank, staff):
        held = create_transfer(
            sandbox,
            type="top_up",
            source=bank.public_id,
            destination=usd.public_id,
            amount=REVIEW_THRESHOLD + 1,
            currency="USD",
        )

        transfer_review_reject(transfer_pk=held.pk, staff_user=staff)

        assert reread(held).pending_transaction.status == "reversed"
        assert balances(usd) == (500_000, 500_000)

    def test_a_held_transfer_that_can_no_longer_post_fails_on_release(self, held, staff, usd, grace_usd):
        Wallet.objects.filter(pk=grace_usd.pk).update(status="frozen")

        released = transfer_review_release(transfer_pk=held.pk, staff_user=staff)

        assert (released.status, released.failure_code) == ("failed", "wallet_frozen")
        assert Hold.objects.get(pk=held.hold_id).status == "released"
        assert balances(usd) == (500_000, 500_000)
        assert reread(held).journal is None
        assert transfer_events(released)[-1][:3] == ("transfer.failed", 3, "failed")

    @pytest.mark.parametrize("decide", [transfer_review_release, transfer_review_reject])
    def test_only_a_held_transfer_is_reviewed(self, sandbox, usd, grace_usd, staff, decide):
        done = create_transfer(
            sandbox, type="p2p", source=usd.public_id, destination=grace_usd.public_id, amount=1, currency="USD"
        )
        before = table_counts()

        with pytest.raises(InvalidStateTransition):
            decide(transfer_pk=done.pk, staff_user=staff)

        assert table_counts() == before

    def test_a_released_transfer_cannot_be_reviewed_again(self, held, staff):
        transfer_review_release(transfer_pk=held.pk, staff_user=staff)

        with pytest.raises(InvalidStateTransition):
            transfer_review_reject(transfer_pk=held.pk, staff_user=staff)


class TestCancelBody:
    def test_a_cancel_takes_no_parameters(self, sandbox_client, sandbox, usd, bank):
        payout = create_transfer(
            sandbox, type="payout", source=usd.public_id, destination=bank.public_id, amount=100, currency="USD"
        )
        before = table_counts()

        response = sandbox_client.post(
            f"/v1/transfers/{payout.public_id}/cancel", {"reason": "duplicate"}, format="json", HTTP_IDEMPOTENCY_KEY="c"
        )

        problem = assert_problem(response, 400, "parameter_unknown")
        assert problem["errors"] == [{"field": "reason", "code": "parameter_unknown", "message": "Unknown parameter."}]
        assert table_counts() == before
        assert reread(payout).status == "pending"

    def test_an_empty_json_body_is_fine(self, sandbox_client, sandbox, usd, bank):
        payout = create_transfer(
            sandbox, type="payout", source=usd.public_id, destination=bank.public_id, amount=100, currency="USD"
        )

        response = sandbox_client.post(
            f"/v1/transfers/{payout.public_id}/cancel", {}, format="json", HTTP_IDEMPOTENCY_KEY="c"
        )

        assert response.status_code == 200, response.content
