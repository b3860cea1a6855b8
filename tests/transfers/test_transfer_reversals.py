"""``POST /v1/transfers/{id}/reversals``: full and partial reversals of every type, never more than remains, with
balanced mirror journals, ``amount_reversed``, events, idempotency, and refusals that write nothing."""

import pytest

from apps.core.models import IdempotencyKey
from apps.transfers.models import Transfer, TransferReversal
from apps.transfers.snapshots import reversal_snapshot
from apps.wallets.models import Entry, LedgerAccount, Transaction
from tests.helpers import assert_problem, balances
from tests.partners.factories import PartnerFactory
from tests.transfers.factories import (
    api_key_principal,
    create_transfer,
    journal_totals,
    make_quote,
    run_rail,
    table_counts,
    transfer_events,
)
from tests.wallets.factories import DECLINED_ACCOUNT_NUMBER, add_bank_account, make_holder, make_wallet, post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_rail")]


@pytest.fixture
def p2p(sandbox, usd, grace_usd):
    return create_transfer(
        sandbox, type="p2p", source=usd.public_id, destination=grace_usd.public_id, amount=3_000, currency="USD"
    )


def reverse(client, transfer, body=None, *, key: str | None = "reversal-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(f"/v1/transfers/{transfer.public_id}/reversals", body or {}, format="json", **headers)


def refused(client, transfer, body, status: int, code: str, *, key: str | None = "refused-1") -> dict:
    before = table_counts()
    problem = assert_problem(reverse(client, transfer, body, key=key), status, code)
    assert table_counts() == before
    return problem


def system_total(transfer: Transfer, code: str, currency: str) -> int:
    """What the transfer's journals (settlement and reversals) left on one system account."""
    journals = [transfer.journal_id, *transfer.reversals.values_list("journal_id", flat=True)]
    return sum(
        Entry.objects.filter(
            journal_id__in=journals, account__kind=LedgerAccount.Kind.SYSTEM, account__code=code, currency=currency
        ).values_list("amount", flat=True)
    )


class TestReversals:
    def test_a_partial_then_a_full_reversal(self, sandbox_client, p2p, usd, grace_usd):
        first = reverse(sandbox_client, p2p, {"amount": 1_000, "description": "Part", "metadata": {"r": "1"}}, key="a")

        assert first.status_code == 201, first.content
        reversal = TransferReversal.objects.get()
        body = first.json()
        assert body == reversal_snapshot(reversal)
        assert body["id"].startswith("trr_")
        assert (body["object"], body["environment"], body["transfer"]) == (
            "transfer_reversal",
            "sandbox",
            p2p.public_id,
        )
        assert (body["amount"], body["currency"], body["description"], body["metadata"]) == (
            1_000,
            "USD",
            "Part",
            {"r": "1"},
        )
        p2p.refresh_from_db()
        assert (p2p.status, p2p.amount_reversed) == ("succeeded", 1_000)
        assert balances(usd) == (8_000, 8_000)
        assert balances(grace_usd) == (2_000, 2_000)

        rest = reverse(sandbox_client, p2p, key="b")

        assert rest.status_code == 201, rest.content
        assert rest.json()["amount"] == 2_000
        p2p.refresh_from_db()
        assert (p2p.status, p2p.amount_reversed) == ("reversed", 3_000)
        assert balances(usd) == (10_000, 10_000)
        assert balances(grace_usd) == (0, 0)

    def test_each_reversal_posts_a_balanced_mirror_journal_of_refunds(self, sandbox_client, p2p, usd, grace_usd):
        reverse(sandbox_client, p2p, {"amount": 1_200})

        reversal = TransferReversal.objects.get()
        journal = reversal.journal
        assert (journal.kind, journal.reverses_id) == ("transfer_reversal", p2p.journal_id)
        assert journal_totals(journal.pk) == {"USD": 0}
        txns = Transaction.objects.filter(journal=journal).order_by("amount")
        assert [(t.wallet_id, t.amount, t.type, t.status) for t in txns] == [
            (grace_usd.pk, -1_200, "refund", "posted"),
            (usd.pk, 1_200, "refund", "posted"),
        ]
        # The settled transaction stays posted: a partial reversal does not undo it.
        assert set(Transaction.objects.filter(journal=p2p.journal).values_list("status", flat=True)) == {"posted"}

    def test_events_show_each_reversal_and_the_status_change(self, sandbox_client, p2p):
        reverse(sandbox_client, p2p, {"amount": 1_000}, key="a")
        reverse(sandbox_client, p2p, key="b")

        assert transfer_events(p2p) == [
            ("transfer.created", 1, "pending", {}),
            ("transfer.succeeded", 2, "succeeded", {"status": "pending"}),
            ("transfer.reversed", 3, "succeeded", {"amount_reversed": 0}),
            ("transfer.reversed", 4, "reversed", {"status": "succeeded", "amount_reversed": 1_000}),
        ]
        assert list(p2p.status_changes.order_by("pk").values_list("status", "reason"))[-1] == ("reversed", "reversed")

    def test_reversing_the_exact_remainder_makes_it_reversed(self, sandbox_client, p2p):
        response = reverse(sandbox_client, p2p, {"amount": 3_000})

        assert response.status_code == 201
        p2p.refresh_from_db()
        assert p2p.status == "reversed"

    def test_the_transfers_transactions_stay_posted_until_it_is_fully_reversed(self, sandbox_client, p2p):
        def statuses() -> set[str]:
            return set(Transaction.objects.filter(journal_id=p2p.journal_id).values_list("status", flat=True))

        reverse(sandbox_client, p2p, {"amount": 1_000}, key="partial")
        assert statuses() == {"posted"}

        reverse(sandbox_client, p2p, key="rest")
        assert statuses() == {"reversed"}

    def test_a_top_up_reversal_sends_the_money_back_to_the_bank(self, sandbox_client, sandbox, ada, usd):
        bank = add_bank_account(holder=ada)
        top_up = run_rail(
            create_transfer(
                sandbox, type="top_up", source=bank.public_id, destination=usd.public_id, amount=500, currency="USD"
            )
        )

        response = reverse(sandbox_client, top_up, {"amount": 200})

        assert response.status_code == 201, response.content
        journal = TransferReversal.objects.get().journal
        assert sorted(Entry.objects.filter(journal=journal).values_list("account__code", "amount")) == [
            ("", -200),
            ("clearing:bank", 200),
        ]
        assert balances(usd) == (10_300, 10_300)
        assert Transaction.objects.get(journal=journal).type == "refund"

    def test_a_payout_reversal_brings_the_money_back(self, sandbox_client, sandbox, ada, usd):
        bank = add_bank_account(holder=ada)
        payout = run_rail(
            create_transfer(
                sandbox, type="payout", source=usd.public_id, destination=bank.public_id, amount=4_000, currency="USD"
            )
        )
        assert balances(usd) == (6_000, 6_000)

        response = reverse(sandbox_client, payout)

        assert response.status_code == 201, response.content
        assert balances(usd) == (10_000, 10_000)
        journal = TransferReversal.objects.get().journal
        assert journal_totals(journal.pk) == {"USD": 0}
        assert Transaction.objects.get(journal=journal).type == "refund"
        payout.refresh_from_db()
        assert payout.status == "reversed"

    def test_fx_reversal_shares_add_up_exactly_after_several_partial_reversals(self, sandbox_client, sandbox, ada):
        usd = make_wallet(holder=ada, currency="USD", balance=10_007)
        jpy = make_wallet(holder=ada, currency="JPY")
        quote = make_quote(environment=sandbox, destination_currency="JPY", source_amount=10_007)
        fx = create_transfer(sandbox, type="fx", quote=quote.public_id, source=usd.public_id, destination=jpy.public_id)
        assert (fx.status, fx.fee_amount, fx.destination_amount) == ("succeeded", 51, 14_916)

        for index, amount in enumerate((3_333, 1, 3_333, 3_339, 1)):
            assert reverse(sandbox_client, fx, {"amount": amount}, key=f"k{index}").status_code == 201
            journal = TransferReversal.objects.order_by("-pk").first().journal
            assert set(journal_totals(journal.pk).values()) == {0}

        fx.refresh_from_db()
        assert (fx.status, fx.amount_reversed) == ("reversed", 10_007)
        assert balances(usd) == (10_007, 10_007)
        assert balances(jpy) == (0, 0)
        for code, currency in (("fx", "USD"), ("fx", "JPY"), ("fees", "USD")):
            assert system_total(fx, code, currency) == 0, (code, currency)
        reversal_journals = list(fx.reversals.values_list("journal_id", flat=True))
        returned = Entry.objects.filter(journal_id__in=reversal_journals, account__wallet=jpy)
        assert -sum(returned.values_list("amount", flat=True)) == 14_916
        assert set(Transaction.objects.filter(journal_id__in=reversal_journals).values_list("type", flat=True)) == {
            "refund"
        }

    def test_a_partial_fx_reversal_returns_the_same_share_of_each_amount(self, sandbox_client, sandbox, ada):
        usd = make_wallet(holder=ada, currency="USD", balance=10_000)
        eur = make_wallet(holder=ada, currency="EUR")
        quote = make_quote(environment=sandbox, source_amount=10_000)
        fx = create_transfer(sandbox, type="fx", quote=quote.public_id, source=usd.public_id, destination=eur.public_id)

        reverse(sandbox_client, fx, {"amount": 5_000})

        assert balances(usd) == (5_000, 5_000)
        assert balances(eur) == (9_187 - 9_187 * 5_000 // 10_000, 9_187 - 4_593)
        journal = TransferReversal.objects.get().journal
        assert journal_totals(journal.pk) == {"USD": 0, "EUR": 0}
        fees = Entry.objects.get(journal=journal, account__code="fees")
        assert fees.amount == -25


class TestRefusals:
    def test_more_than_remains_is_refused(self, sandbox_client, p2p):
        reverse(sandbox_client, p2p, {"amount": 2_000}, key="first")

        problem = refused(sandbox_client, p2p, {"amount": 1_001}, 422, "reversal_exceeds_remaining")

        assert problem["remaining"] == 1_000
        assert problem["errors"][0]["field"] == "amount"

    def test_more_than_the_whole_amount_is_refused(self, sandbox_client, p2p):
        refused(sandbox_client, p2p, {"amount": 3_001}, 422, "reversal_exceeds_remaining")

    def test_a_fully_reversed_transfer_cannot_be_reversed_again(self, sandbox_client, p2p):
        reverse(sandbox_client, p2p, key="first")

        refused(sandbox_client, p2p, {"amount": 1}, 409, "invalid_state_transition")

    @pytest.mark.parametrize("state", ["pending", "held", "failed", "canceled"])
    def test_only_a_succeeded_transfer_reverses(self, sandbox_client, sandbox, partner, ada, usd, state):
        from apps.transfers.lifecycle import transfer_cancel

        account = DECLINED_ACCOUNT_NUMBER if state == "failed" else "31926819"
        name = "Sanctioned Person" if state == "held" else ""
        bank = add_bank_account(holder=ada, account_number=account, name=name)
        payout = create_transfer(
            sandbox, type="payout", source=usd.public_id, destination=bank.public_id, amount=100, currency="USD"
        )
        if state == "failed":
            payout = run_rail(payout)
        elif state == "canceled":
            payout = transfer_cancel(principal=api_key_principal(environment=sandbox), transfer_id=payout.public_id)
        assert payout.status == state

        refused(sandbox_client, payout, {}, 409, "invalid_state_transition")

    def test_money_spent_since_cannot_be_reversed(self, sandbox_client, p2p, grace_usd):
        post(wallet=grace_usd, amount=-2_500)

        problem = refused(sandbox_client, p2p, {"amount": 1_000}, 422, "insufficient_funds")

        assert "500" in problem["detail"]

    def test_another_partners_transfer_is_a_404(self, sandbox_client):
        other = PartnerFactory()
        holder = make_holder(partner=other)
        theirs = create_transfer(
            other.environments.get(kind="sandbox"),
            type="p2p",
            source=make_wallet(holder=holder, balance=100).public_id,
            destination=make_wallet(holder=make_holder(partner=other, name="B")).public_id,
            amount=100,
            currency="USD",
        )

        refused(sandbox_client, theirs, {}, 404, "resource_missing")
        assert_problem(sandbox_client.get(f"/v1/transfers/{theirs.public_id}/reversals"), 404, "resource_missing")

    @pytest.mark.parametrize(
        ("body", "code"),
        [
            ({"amount": "100"}, "parameter_invalid"),
            ({"amount": 1.5}, "parameter_invalid"),
            ({"amount": 0}, "parameter_invalid"),
            ({"amount": -5}, "parameter_invalid"),
            ({"amount": None}, "parameter_missing"),
            ({"amount": 100, "currency": "USD"}, "parameter_unknown"),
            ({"metadata": {"k" * 41: "v"}}, "parameter_invalid"),
            ({"description": "x" * 501}, "parameter_invalid"),
        ],
    )
    def test_bad_input_is_refused(self, sandbox_client, p2p, body, code):
        refused(sandbox_client, p2p, body, 400, code)

    def test_an_idempotency_key_is_required(self, sandbox_client, p2p):
        refused(sandbox_client, p2p, {"amount": 100}, 400, "idempotency_key_required", key=None)


class TestIdempotency:
    def test_the_same_key_and_body_replay_the_reversal(self, sandbox_client, p2p, usd):
        first = reverse(sandbox_client, p2p, {"amount": 100})
        counts = table_counts()

        second = reverse(sandbox_client, p2p, {"amount": 100})

        assert second.status_code == 201
        assert second["Idempotent-Replayed"] == "true"
        assert second.json() == first.json()
        assert table_counts() == counts
        assert balances(usd) == (7_100, 7_100)

    def test_the_same_key_with_another_amount_is_refused(self, sandbox_client, p2p):
        reverse(sandbox_client, p2p, {"amount": 100})

        refused(sandbox_client, p2p, {"amount": 200}, 422, "idempotency_key_reused", key="reversal-1")

    def test_the_record_commits_with_the_reversal(self, sandbox_client, p2p):
        response = reverse(sandbox_client, p2p, {"amount": 100})

        record = IdempotencyKey.objects.get()
        assert (record.status, record.resource_id, record.response_body) == (
            "completed",
            response.json()["id"],
            response.json(),
        )


class TestReversalList:
    def test_lists_the_reversals_newest_first(self, sandbox_client, p2p):
        ids = [reverse(sandbox_client, p2p, {"amount": 100}, key=f"k{i}").json()["id"] for i in range(3)]

        body = sandbox_client.get(f"/v1/transfers/{p2p.public_id}/reversals?limit=2").json()

        assert [r["id"] for r in body["data"]] == [ids[2], ids[1]]
        assert (body["object"], body["has_more"], body["next_cursor"]) == ("list", True, ids[1])
        rest = sandbox_client.get(f"/v1/transfers/{p2p.public_id}/reversals?starting_after={ids[1]}").json()
        assert [r["id"] for r in rest["data"]] == [ids[0]]
        assert rest["has_more"] is False
