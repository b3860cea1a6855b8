import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from apps.wallets import reconciliation
from apps.wallets.categories import CATEGORIES
from apps.wallets.funding_sources import bank_account_details
from apps.wallets.models import Entry, FundingSource, Hold, Transaction, Wallet, WalletHolder
from apps.wallets.services import holder_create
from apps.wallets.validators import validate_iban
from sandbox import seed
from sandbox.seed import SeedError, seed_sandbox
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db

ANCHOR = date(2025, 6, 15)
ANCHOR_START = datetime(2025, 6, 15, tzinfo=UTC)


def snapshot(partner) -> list:
    """Everything a seed decides, in creation order, without the random public ids."""
    rows = []
    for holder in WalletHolder.objects.filter(partner=partner).select_related("user").order_by("pk"):
        username = holder.user.username.split("@")[0] if holder.user else None
        wallets = [
            (
                wallet.currency,
                list(
                    wallet.transactions.order_by("pk").values_list(
                        "type",
                        "status",
                        "category",
                        "amount",
                        "balance_after",
                        "booked_at",
                        "value_date",
                        "description",
                        "merchant_name",
                        "counterparty",
                    )
                ),
            )
            for wallet in holder.wallets.order_by("pk")
        ]
        sources = list(
            holder.funding_sources.order_by("position").values_list(
                "kind", "position", "brand", "last4", "exp_month", "exp_year", "bank_country", "currency"
            )
        )
        rows.append((holder.name, holder.email, holder.kyc_tier, username, wallets, sources))
    return rows


class TestSeedDeterminism:
    def test_the_same_seed_into_two_partners_gives_the_same_sandbox(self):
        first, second = PartnerFactory(), PartnerFactory()

        seed_sandbox(partner=first, seed=7, holders=4, months=3, anchor=ANCHOR)
        seed_sandbox(partner=second, seed=7, holders=4, months=3, anchor=ANCHOR)

        one, two = snapshot(first), snapshot(second)
        assert len(one) == len(seed.PERSONAS) + 4
        assert sum(len(txns) for holder in one for _, txns in holder[4]) > 300
        assert one == two

    def test_two_seeded_sandboxes_are_invisible_to_each_other_through_the_api(self, client_for):
        from apps.partners.services import api_key_create

        first, second = PartnerFactory(), PartnerFactory()
        for partner in (first, second):
            seed_sandbox(partner=partner, seed=7, holders=1, months=1, anchor=ANCHOR)
        client = client_for(api_key_create(environment=first.environments.get(kind="sandbox"), name="A").secret)
        theirs = Wallet.objects.filter(holder__partner=second).select_related("holder").first()
        txn = Transaction.objects.filter(wallet=theirs).first()

        listed = {row["id"] for row in client.get("/v1/wallets?limit=100").json()["data"]}

        assert listed == set(Wallet.objects.filter(holder__partner=first).values_list("public_id", flat=True))
        for path in (
            f"/v1/wallets/{theirs.public_id}",
            f"/v1/wallet_holders/{theirs.holder.public_id}",
            f"/v1/wallets/{theirs.public_id}/transactions",
            f"/v1/transactions/{txn.public_id}",
        ):
            assert client.get(path).status_code == 404, path

    def test_another_seed_gives_other_people_and_other_amounts(self):
        first, second = PartnerFactory(), PartnerFactory()

        seed_sandbox(partner=first, seed=7, holders=4, months=2, anchor=ANCHOR, personas=False)
        seed_sandbox(partner=second, seed=8, holders=4, months=2, anchor=ANCHOR, personas=False)

        one, two = snapshot(first), snapshot(second)
        assert [h[0] for h in one] != [h[0] for h in two]
        amounts = [[t[3] for _, txns in h[4] for t in txns] for h in one]
        assert amounts != [[t[3] for _, txns in h[4] for t in txns] for h in two]

    def test_fewer_holders_are_a_prefix_of_more(self):
        small, large = PartnerFactory(), PartnerFactory()

        seed_sandbox(partner=small, seed=3, holders=2, months=2, anchor=ANCHOR)
        seed_sandbox(partner=large, seed=3, holders=5, months=2, anchor=ANCHOR)

        assert snapshot(large)[: len(seed.PERSONAS) + 2] == snapshot(small)


class TestSeededSandbox:
    @pytest.fixture
    def seeded(self, partner):
        report = seed_sandbox(partner=partner, seed=11, holders=6, months=12, anchor=ANCHOR, demo=True)
        return partner, report

    def test_the_book_reconciles_and_no_wallet_goes_below_zero(self, seeded):
        partner, report = seeded

        book = reconciliation.reconcile()
        assert book.ok, book.mismatches[:5]
        wallets = Wallet.objects.filter(holder__partner=partner)
        assert wallets.count() == report.wallets
        assert all(0 <= w.available_balance <= w.ledger_balance for w in wallets)
        running: dict[int, int] = defaultdict(int)
        for txn in Transaction.objects.filter(wallet__holder__partner=partner, status="posted").order_by("pk"):
            running[txn.wallet_id] += txn.amount
            assert txn.balance_after == running[txn.wallet_id] >= 0

    def test_history_is_in_the_past_with_pending_card_payments_last(self, seeded):
        partner, report = seeded
        txns = Transaction.objects.filter(wallet__holder__partner=partner)

        assert report.transactions == txns.count()
        assert txns.filter(booked_at__gte=ANCHOR_START).count() == 0
        assert set(txns.values_list("category", flat=True)) <= set(CATEGORIES)
        holds = Hold.objects.filter(wallet__holder__partner=partner).select_related("transaction")
        assert holds.count() == report.holds > 0
        for hold in holds:
            assert hold.status == "held" and hold.transaction.status == "pending"
            assert hold.transaction.type == "card_payment"
            newer_posted = txns.filter(wallet=hold.wallet_id, status="posted", booked_at__gt=hold.transaction.booked_at)
            assert not newer_posted.exists()

    def test_paydays_rent_days_and_every_kind_of_movement_are_there(self, seeded):
        partner, _ = seeded
        txns = Transaction.objects.filter(wallet__holder__partner=partner)

        for booked in txns.filter(category="salary").values_list("booked_at", flat=True):
            assert booked.day in (23, 24, 25) and booked.weekday() < 5
        assert {b.day for b in txns.filter(category="rent").values_list("booked_at", flat=True)} == {1}
        for category in ("groceries", "dining", "transport", "utilities", "travel", "refund", "fees", "transfer"):
            assert txns.filter(category=category).exists(), category
        assert set(txns.values_list("type", flat=True)) >= {
            "deposit",
            "withdrawal",
            "card_payment",
            "fee",
            "fx",
            "refund",
        }
        assert txns.filter(currency="XPT", type="points").exists()
        assert (
            txns.exclude(merchant_name="").filter(type="card_payment").count()
            == txns.filter(type="card_payment").count()
        )

    def test_holders_have_faker_names_test_emails_tiers_currencies_and_funding_sources(self, seeded):
        partner, _ = seeded
        holders = WalletHolder.objects.filter(partner=partner, environment="sandbox")

        assert all(h.email.endswith(".test") and " " in h.name for h in holders)
        assert set(holders.values_list("kyc_tier", flat=True)) <= {"unverified", "basic", "full"}
        currencies = set(Wallet.objects.filter(holder__partner=partner).values_list("currency", flat=True))
        assert {"USD", "EUR"} <= currencies <= {"USD", "EUR", "GBP", "JPY", "XPT"}
        assert all(h.funding_sources.filter(kind="card").exists() for h in holders)
        for source in FundingSource.objects.filter(holder__partner=partner, kind="bank_account"):
            details = bank_account_details(source)
            if details["scheme"] == "iban":
                assert validate_iban(details["iban"]) == details["iban"]
            else:
                assert len(details["sort_code"]) == 6 and len(details["account_number"]) == 8

    def test_imported_history_recorded_no_posting_events(self, seeded):
        partner, report = seeded

        from apps.events.models import Event

        assert not Event.objects.filter(partner=partner, type="transaction.posted").exists()
        assert Event.objects.filter(partner=partner, type="transaction.created").count() == report.holds


class TestPersonas:
    def test_user_good_has_a_login_usd_and_eur_wallets_and_a_year_of_history(self, partner, client):
        seed_sandbox(partner=partner, holders=0, months=1, anchor=ANCHOR, demo=True)

        holder = WalletHolder.objects.get(user__username="user_good")
        assert holder.partner == partner and holder.kyc_tier == "full"
        assert client.login(username="user_good", password="pass_good")
        wallets = {w.currency: w for w in holder.wallets.all()}
        assert set(wallets) == {"USD", "EUR"}
        usd = wallets["USD"].transactions
        assert usd.filter(category="salary").count() == 12
        first = usd.order_by("booked_at").first().booked_at
        assert ANCHOR_START - timedelta(days=367) <= first <= ANCHOR_START - timedelta(days=360)
        assert wallets["EUR"].transactions.filter(type="card_payment").exists()
        assert holder.funding_sources.filter(kind="bank_account", bank_country="DE", currency="EUR").exists()

    def test_other_partners_get_their_own_persona_under_a_suffixed_username(self, partner):
        seed_sandbox(partner=partner, holders=0, months=1, anchor=ANCHOR)

        assert WalletHolder.objects.get(user__username=f"user_good@{partner.public_id}").partner == partner
        assert not get_user_model().objects.filter(username="user_good").exists()

    def test_seeding_again_keeps_an_existing_persona(self, partner):
        seed_sandbox(partner=partner, holders=0, months=1, anchor=ANCHOR, demo=True)
        seed_sandbox(partner=partner, holders=1, months=1, anchor=ANCHOR, demo=True)

        assert WalletHolder.objects.filter(user__username="user_good").count() == 1
        assert WalletHolder.objects.filter(partner=partner).count() == len(seed.PERSONAS) + 1

    def test_a_username_taken_by_someone_else_is_refused_and_nothing_is_written(self, partner):
        someone = get_user_model().objects.create_user(username="user_good", password="not-a-persona")
        other = PartnerFactory()
        holder_create(environment="sandbox", partner=other, name="Someone Else", user=someone)

        with pytest.raises(SeedError):
            seed_sandbox(partner=partner, holders=2, months=1, anchor=ANCHOR, demo=True)

        assert not WalletHolder.objects.filter(partner=partner).exists()
        assert someone.check_password("not-a-persona")

    def test_a_persona_login_left_behind_by_a_reset_is_reused(self, partner):
        # A sandbox reset deletes holders, not their users.
        left = get_user_model().objects.create_user(username="user_good", password="whatever")

        seed_sandbox(partner=partner, holders=0, months=1, anchor=ANCHOR, demo=True)

        holder = WalletHolder.objects.get(partner=partner, user__username="user_good")
        assert holder.user_id == left.pk
        holder.user.refresh_from_db()
        assert holder.user.check_password("pass_good")


class TestSeedIsOneTransaction:
    def test_a_failure_in_a_later_chunk_leaves_nothing_behind(self, partner, monkeypatch):
        calls = []
        real = seed.history_import_inner

        def failing(*, items):
            calls.append(len(items))
            if len(calls) == 3:
                raise RuntimeError("disk full")
            return real(items=items)

        monkeypatch.setattr(seed, "CHUNK", 1)
        monkeypatch.setattr(seed, "history_import_inner", failing)

        with pytest.raises(RuntimeError):
            seed_sandbox(partner=partner, holders=4, months=1, anchor=ANCHOR)

        assert len(calls) == 3
        assert not WalletHolder.objects.exists()
        assert not Entry.objects.exists()
        assert not get_user_model().objects.filter(username__startswith="user_good").exists()

    def test_an_anchor_after_today_is_refused(self, partner):
        with pytest.raises(SeedError):
            seed_sandbox(partner=partner, holders=1, anchor=date.today() + timedelta(days=2))


def run(*args: str) -> dict:
    out = StringIO()
    call_command("seed_sandbox", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


class TestSeedSandboxCommand:
    def test_seeds_the_named_partner_and_prints_a_json_summary(self, partner):
        summary = run("--partner", partner.public_id, "--holders", "2", "--months", "1", "--anchor", "2025-06-15")

        assert summary["partner"] == partner.public_id
        assert (summary["holders"], summary["seed"], summary["anchor"]) == (len(seed.PERSONAS) + 2, 1, "2025-06-15")
        assert summary["transactions"] == Transaction.objects.count()
        assert summary["funding_sources"] == FundingSource.objects.count() > 0
        persona = summary["personas"][0]
        assert persona["username"] == f"user_good@{partner.public_id}"
        assert sorted(w["currency"] for w in persona["wallets"]) == ["EUR", "USD"]

    def test_without_a_partner_it_seeds_the_demo_partner_with_the_bare_persona_usernames(self):
        summary = run("--holders", "1", "--months", "1", "--anchor", "2025-06-15")

        assert summary["personas"][0]["username"] == "user_good"
        assert WalletHolder.objects.get(user__username="user_good").partner.public_id == summary["partner"]

    def test_a_seeded_sandbox_is_refused_unless_appending(self, partner):
        run("--partner", partner.public_id, "--holders", "1", "--months", "1", "--anchor", "2025-06-15")

        with pytest.raises(CommandError, match="already has holders"):
            run("--partner", partner.public_id, "--holders", "1", "--months", "1")
        summary = run("--partner", partner.public_id, "--holders", "2", "--months", "1", "--append", "--seed", "5")

        assert summary["holders"] == 2
        assert WalletHolder.objects.filter(partner=partner).count() == len(seed.PERSONAS) + 3

    @pytest.mark.parametrize(
        "args",
        [
            ("--partner", "pt_doesnotexist"),
            ("--anchor", "15/06/2025"),
            ("--months", "61"),
            ("--holders", "-1"),
            ("--seed", "many"),
        ],
    )
    def test_bad_options_are_refused_and_nothing_is_written(self, args):
        with pytest.raises(CommandError):
            run(*args)

        assert not WalletHolder.objects.exists()
