import random
from datetime import UTC, datetime, timedelta

import pytest

from apps.core.ids import looks_like, new_public_ids
from apps.events.models import Event
from apps.wallets import ledger, reconciliation, services
from apps.wallets.bulk import history_import
from apps.wallets.models import Hold, Journal, LedgerAccount, Transaction, Wallet
from apps.wallets.validators import HistoryItem, InvalidHistory
from tests.helpers import book_size

pytestmark = pytest.mark.django_db(transaction=True)

START = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def holder(partner):
    return services.holder_create(environment="sandbox", partner=partner, name="Ada Lovelace", kyc_tier="full")


def item(wallet, amount, *, days=0, **kwargs):
    defaults = {
        "type": "deposit" if amount > 0 else "card_payment",
        "category": "salary" if amount > 0 else "groceries",
        "rail": ledger.CLEARING_BANK if amount > 0 else ledger.CLEARING_CARD,
        "description": f"{amount} on day {days}",
    }
    return HistoryItem(wallet=wallet, booked_at=START + timedelta(days=days), amount=amount, **{**defaults, **kwargs})


class TestHistoryImport:
    def test_balance_after_follows_booking_order_whatever_the_input_order(self, usd):
        amounts = [50_000, -1_250, -3_000, 20_000, -999, -40_000, 1_500, -7]
        items = [item(usd, amount, days=day) for day, amount in enumerate(amounts)]
        shuffled = items[:]
        random.Random(4).shuffle(shuffled)

        assert history_import(items=shuffled) == len(amounts)

        txns = list(Transaction.objects.filter(wallet=usd).order_by("pk"))
        running, expected = 0, []
        for amount in amounts:
            running += amount
            expected.append(running)
        assert [t.amount for t in txns] == amounts
        assert [t.balance_after for t in txns] == expected
        assert [t.booked_at for t in txns] == [START + timedelta(days=d) for d in range(len(amounts))]
        assert all(t.status == "posted" and t.value_date == t.booked_at.date() for t in txns)
        usd.refresh_from_db()
        assert (usd.ledger_balance, usd.available_balance) == (expected[-1], expected[-1])
        assert usd.last_transaction_id == txns[-1].pk
        assert reconciliation.reconcile().ok

    def test_each_journal_balances_against_the_items_rail_and_is_posted_at_its_booking_time(self, usd, partner):
        history_import(
            items=[
                item(usd, 10_000, days=0),
                item(usd, -2_500, days=1, rail=ledger.CLEARING_CARD),
                item(usd, -100, days=2, type="fee", category="fees", rail=ledger.FEES),
            ]
        )

        for txn in Transaction.objects.filter(wallet=usd).select_related("journal"):
            entries = list(txn.journal.entries.select_related("account"))
            assert txn.journal.posted_at == txn.booked_at
            assert sum(e.amount for e in entries) == 0 and len(entries) == 2
            system = next(e.account for e in entries if e.account.kind == LedgerAccount.Kind.SYSTEM)
            assert system.partner == partner and system.currency == "USD"
            expected = {"deposit": ledger.CLEARING_BANK, "card_payment": ledger.CLEARING_CARD, "fee": ledger.FEES}
            assert system.code == expected[txn.type]

    def test_an_item_that_would_overdraw_is_refused_and_nothing_is_written(self, usd):
        before = book_size()

        with pytest.raises(ledger.InsufficientFunds) as refused:
            history_import(items=[item(usd, 1_000, days=0), item(usd, -600, days=1), item(usd, -401, days=2)])

        assert refused.value.extra["item"] == 2
        assert book_size() == before
        usd.refresh_from_db()
        assert (usd.ledger_balance, usd.available_balance, usd.last_transaction_id) == (0, 0, None)

    def test_a_debit_listed_first_but_booked_after_its_funding_is_accepted(self, usd):
        history_import(items=[item(usd, -600, days=2), item(usd, 1_000, days=1)])

        assert list(Transaction.objects.filter(wallet=usd).order_by("pk").values_list("balance_after", flat=True)) == [
            1_000,
            400,
        ]

    def test_existing_holds_count_against_the_available_balance(self, usd):
        services.external_credit(wallet=usd, amount=1_000, type="deposit", category="income")
        services.hold_place(wallet=usd, amount=800)
        later = datetime.now(UTC)
        before = book_size()

        with pytest.raises(ledger.InsufficientFunds):
            history_import(
                items=[HistoryItem(wallet=usd, booked_at=later, amount=-300, type="card_payment", category="dining")]
            )
        assert book_size() == before

    def test_malformed_items_are_all_reported_with_their_fields_and_nothing_is_written(self, usd):
        before = book_size()
        items = [
            item(usd, 0),
            item(usd, 100, category="lottery"),
            item(usd, 100, type="gift"),
            HistoryItem(wallet=usd, booked_at=datetime(2025, 1, 1), amount=100, type="deposit", category="income"),
            item(usd, 100, rail="nowhere"),
            item(usd, 100, pending=True),
        ]

        with pytest.raises(InvalidHistory) as refused:
            history_import(items=items)

        fields = {(e["field"], e["code"]) for e in refused.value.errors}
        assert {
            ("items[0].amount", "amount_invalid"),
            ("items[1].category", "category_invalid"),
            ("items[2].type", "type_invalid"),
            ("items[3].booked_at", "datetime_invalid"),
            ("items[4].rail", "rail_invalid"),
            ("items[5].pending", "pending_invalid"),
        } <= fields
        assert refused.value.status == 400
        assert book_size() == before

    def test_history_in_the_future_or_older_than_the_wallets_newest_transaction_is_refused(self, usd):
        services.external_credit(wallet=usd, amount=1_000, type="deposit", category="income")
        before = book_size()
        tomorrow = datetime.now(UTC) + timedelta(days=1)

        with pytest.raises(InvalidHistory) as refused:
            history_import(
                items=[
                    item(usd, 100, days=0),
                    HistoryItem(
                        wallet=usd,
                        booked_at=tomorrow,
                        amount=100,
                        type="deposit",
                        category="income",
                        rail=ledger.CLEARING_BANK,
                    ),
                ]
            )

        codes = {(e["field"], e["code"]) for e in refused.value.errors}
        assert codes == {("items[0].booked_at", "booked_before_newest"), ("items[1].booked_at", "booked_in_future")}
        assert book_size() == before

    def test_pending_card_payments_become_real_holds_that_can_post_later(self, usd):
        history_import(
            items=[
                item(usd, 5_000, days=0),
                item(usd, -1_000, days=1),
                item(usd, -700, days=2, pending=True, merchant_name="Corner Grocer"),
            ]
        )

        usd.refresh_from_db()
        assert (usd.ledger_balance, usd.available_balance) == (4_000, 3_300)
        hold = Hold.objects.get(wallet=usd)
        assert (hold.amount, hold.status, hold.transaction.status) == (700, "held", "pending")
        assert hold.transaction.booked_at == START + timedelta(days=2)
        assert hold.transaction.merchant_name == "Corner Grocer"
        assert usd.last_transaction_id == hold.transaction_id
        assert reconciliation.reconcile().ok

        posted = services.hold_capture(hold=hold)

        usd.refresh_from_db()
        assert posted.status == "posted" and posted.balance_after == 3_300
        assert (usd.ledger_balance, usd.available_balance) == (3_300, 3_300)
        assert reconciliation.reconcile().ok

    def test_a_pending_item_must_be_the_newest_of_its_wallet(self, usd):
        before = book_size()

        with pytest.raises(InvalidHistory) as refused:
            history_import(
                items=[item(usd, 5_000, days=0), item(usd, -10, days=1, pending=True), item(usd, -20, days=2)]
            )

        assert {(e["field"], e["code"]) for e in refused.value.errors} == {("items[2].pending", "pending_not_last")}
        assert book_size() == before

    def test_a_pending_item_beyond_the_available_balance_is_refused(self, usd):
        before = book_size()

        with pytest.raises(ledger.InsufficientFunds):
            history_import(items=[item(usd, 500, days=0), item(usd, -501, days=1, pending=True)])

        assert book_size() == before

    def test_imported_history_records_no_events_but_its_holds_do(self, usd):
        events = Event.objects.count()

        history_import(items=[item(usd, 5_000, days=0), item(usd, -1_000, days=1)])
        assert Event.objects.count() == events

        history_import(items=[item(usd, -300, days=3, pending=True)])
        assert set(Event.objects.values_list("type", flat=True)) == {"transaction.created", "wallet.balance_updated"}

    def test_an_exchange_moves_both_wallets_through_the_fx_account(self, holder, usd):
        eur = services.wallet_open(holder=holder, currency="EUR")

        history_import(
            items=[
                item(usd, 10_000, days=0),
                item(
                    usd,
                    -5_000,
                    days=1,
                    type="fx",
                    category="transfer",
                    rail=ledger.FX,
                    counter_wallet=eur,
                    counter_amount=4_600,
                ),
                item(eur, -4_000, days=2, category="dining"),
            ]
        )

        usd.refresh_from_db()
        eur.refresh_from_db()
        assert (usd.ledger_balance, eur.ledger_balance) == (5_000, 600)
        fx_journal = Journal.objects.get(kind="fx")
        entries = {
            (e.account.code or "wallet", e.currency, e.amount) for e in fx_journal.entries.select_related("account")
        }
        assert entries == {
            ("wallet", "USD", -5_000),
            ("fx", "USD", 5_000),
            ("fx", "EUR", -4_600),
            ("wallet", "EUR", 4_600),
        }
        assert sorted(fx_journal.transactions.values_list("currency", "balance_after")) == [
            ("EUR", 4_600),
            ("USD", 5_000),
        ]
        assert reconciliation.reconcile().ok

    def test_an_exchange_cannot_overdraw_the_counter_wallet_either(self, holder, usd):
        eur = services.wallet_open(holder=holder, currency="EUR")
        before = book_size()

        with pytest.raises(ledger.InsufficientFunds):
            history_import(
                items=[
                    item(usd, 100, days=0),
                    item(
                        usd,
                        50,
                        days=1,
                        type="fx",
                        category="transfer",
                        rail=ledger.FX,
                        counter_wallet=eur,
                        counter_amount=-46,
                    ),
                ]
            )
        assert book_size() == before

    def test_points_move_only_against_the_points_issuance_account(self, holder):
        points = services.wallet_open(holder=holder, currency="XPT")

        with pytest.raises(InvalidHistory):
            history_import(items=[item(points, 100, type="points", category="points")])
        history_import(items=[item(points, 100, type="points", category="points", rail=ledger.POINTS_ISSUANCE)])

        points.refresh_from_db()
        assert points.ledger_balance == 100
        assert reconciliation.reconcile().ok

    def test_frozen_and_live_wallets_are_refused(self, usd):
        Wallet.objects.filter(pk=usd.pk).update(status="frozen")
        with pytest.raises(ledger.WalletFrozen):
            history_import(items=[item(usd, 100)])

        live_holder = services.holder_create(environment="live", partner=None, name="Live Person")
        live = services.wallet_open(holder=live_holder, currency="USD")
        with pytest.raises(InvalidHistory):
            history_import(items=[item(live, 100)])
        assert Transaction.objects.count() == 0

    def test_a_database_without_returning_inserts_gets_the_same_book(self, usd, monkeypatch):
        from django.db import connection

        monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)

        history_import(items=[item(usd, 900, days=0), item(usd, -400, days=1), item(usd, -500, days=2)])

        txns = list(Transaction.objects.filter(wallet=usd).order_by("pk"))
        assert [t.balance_after for t in txns] == [900, 500, 0]
        assert all(t.journal.posted_at == t.booked_at for t in txns)
        usd.refresh_from_db()
        assert usd.last_transaction_id == txns[-1].pk
        assert reconciliation.reconcile().ok


class TestNewPublicIds:
    def test_ids_have_the_public_id_format_and_do_not_repeat(self):
        ids = new_public_ids("txn", 5_000)

        assert len(ids) == len(set(ids)) == 5_000
        assert all(looks_like(public_id, "txn") for public_id in ids)
        # Every base62 character shows up: the draw is not stuck on a subset of the alphabet.
        assert len(set("".join(i[4:] for i in ids))) == 62
