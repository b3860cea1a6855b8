"""Bank staff's admin pages for holders, wallets and the book: they load, live holders are created through the
service, and nothing else can be added, edited or deleted. Funding sources show only their masked form."""

import pytest
from django.contrib.admin.models import LogEntry

from apps.wallets import services
from apps.wallets.funding_sources import funding_source_add
from apps.wallets.models import Entry, FundingSource, Hold, Journal, LedgerAccount, Transaction, Wallet, WalletHolder
from apps.wallets.validators import BankAccountDetails, CardDetails
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db

IBAN = "GB82WEST12345698765432"


@pytest.fixture
def book(partner):
    """A holder with a funded wallet, a pending card payment, a bank account and a card."""
    holder = make_holder(partner=partner, name="Ada Lovelace", email="ada@example.test")
    wallet = make_wallet(holder=holder, currency="GBP", balance=10_000)
    placed = services.hold_place(wallet=wallet, amount=1_250, category="groceries", merchant_name="Tesco")
    bank = funding_source_add(
        holder=holder, kind="bank_account", bank_account=BankAccountDetails(account_holder_name="Ada", iban=IBAN)
    )
    card = funding_source_add(
        holder=holder, kind="card", card=CardDetails(brand="visa", last4="4242", exp_month=12, exp_year=2030)
    )
    return {"holder": holder, "wallet": wallet, "hold": placed.hold, "bank": bank, "card": card}


def admin_url(model, suffix: str = "") -> str:
    return f"/admin/wallets/{model._meta.model_name}/{suffix}"


MODELS = [WalletHolder, Wallet, Transaction, Hold, LedgerAccount, Journal, FundingSource]


class TestWalletsAdminPages:
    @pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
    def test_the_list_loads_and_shows_the_rows(self, admin_client, book, model):
        response = admin_client.get(admin_url(model))

        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == model.objects.count() > 0

    @pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
    def test_every_change_page_loads_view_only(self, admin_client, book, model):
        obj = model.objects.order_by("pk").first()

        response = admin_client.get(admin_url(model, f"{obj.pk}/change/"))

        assert response.status_code == 200
        content = response.content.decode()
        assert 'name="_save"' not in content
        assert "deletelink" not in content

    @pytest.mark.parametrize("model", [Wallet, Transaction, Hold, LedgerAccount, Journal, FundingSource])
    def test_nothing_but_holders_can_be_added(self, admin_client, model):
        assert admin_client.get(admin_url(model, "add/")).status_code == 403

    def test_posting_a_change_to_a_wallet_changes_nothing(self, admin_client, book):
        wallet = book["wallet"]

        response = admin_client.post(
            admin_url(Wallet, f"{wallet.pk}/change/"), {"ledger_balance": 1, "status": "closed"}
        )

        assert response.status_code == 403
        wallet.refresh_from_db()
        assert (wallet.ledger_balance, wallet.status) == (10_000, "active")

    def test_deleting_a_journal_is_refused(self, admin_client, book):
        journal = Journal.objects.first()
        entries = Entry.objects.count()

        response = admin_client.post(admin_url(Journal, f"{journal.pk}/delete/"), {"post": "yes"})

        assert response.status_code == 403
        assert Entry.objects.count() == entries

    def test_a_journal_shows_its_entries_read_only(self, admin_client, book):
        journal = Journal.objects.first()

        response = admin_client.get(admin_url(Journal, f"{journal.pk}/change/"))

        content = response.content.decode()
        assert "100.00 GBP" in content and "-100.00 GBP" in content
        assert "entries-TOTAL_FORMS" in content  # the inline is there...
        assert 'name="entries-0-amount"' not in content  # ...with nothing editable

    def test_a_wallet_shows_formatted_balances(self, admin_client, book):
        response = admin_client.get(admin_url(Wallet, f"{book['wallet'].pk}/change/"))

        content = response.content.decode()
        assert "100.00 GBP" in content and "87.50 GBP" in content

    def test_funding_sources_show_masked_numbers_and_never_the_account_details(self, admin_client, book):
        pages = [
            admin_client.get(admin_url(FundingSource)),
            admin_client.get(admin_url(FundingSource, f"{book['bank'].pk}/change/")),
            admin_client.get(admin_url(WalletHolder, f"{book['holder'].pk}/change/")),
        ]

        for response in pages:
            content = response.content.decode()
            assert "••••5432" in content
            assert IBAN not in content and "WEST1234" not in content
            assert book["bank"].account_encrypted not in content
            assert "account_encrypted" not in content


class TestWalletHolderAdmin:
    def test_the_add_form_asks_only_for_name_email_and_tier(self, admin_client):
        response = admin_client.get(admin_url(WalletHolder, "add/"))

        assert response.status_code == 200
        fields = set(response.context["adminform"].form.fields)
        assert fields == {"name", "email", "kyc_tier"}

    def test_adding_creates_a_live_holder_without_a_partner_through_the_service(
        self, admin_client, monkeypatch, admin_user
    ):
        calls = []
        original = services.holder_create

        def spy(**kwargs):
            calls.append(kwargs)
            return original(**kwargs)

        monkeypatch.setattr("apps.wallets.admin.holder_create", spy)

        response = admin_client.post(
            admin_url(WalletHolder, "add/"),
            {"name": "Bank Customer", "email": "customer@example.test", "kyc_tier": "basic"},
        )

        assert response.status_code == 302, response.context and response.context["adminform"].form.errors
        holder = WalletHolder.objects.get()
        assert (holder.environment, holder.partner, holder.name, holder.kyc_tier) == (
            "live",
            None,
            "Bank Customer",
            "basic",
        )
        assert calls == [
            {
                "environment": "live",
                "partner": None,
                "name": "Bank Customer",
                "email": "customer@example.test",
                "kyc_tier": "basic",
            }
        ]
        entry = LogEntry.objects.get()
        assert (entry.object_id, entry.user_id) == (str(holder.pk), admin_user.pk)

    def test_an_invalid_add_form_creates_nothing(self, admin_client):
        response = admin_client.post(admin_url(WalletHolder, "add/"), {"name": "", "email": "nope", "kyc_tier": "gold"})

        assert response.status_code == 200
        assert set(response.context["adminform"].form.errors) == {"name", "email", "kyc_tier"}
        assert not WalletHolder.objects.exists()

    def test_an_existing_holder_cannot_be_edited_or_deleted(self, admin_client, book):
        holder = book["holder"]

        edit = admin_client.post(admin_url(WalletHolder, f"{holder.pk}/change/"), {"name": "Renamed"})
        delete = admin_client.post(admin_url(WalletHolder, f"{holder.pk}/delete/"), {"post": "yes"})

        assert edit.status_code == delete.status_code == 403
        holder.refresh_from_db()
        assert holder.name == "Ada Lovelace"

    def test_the_holder_page_lists_wallets_and_funding_sources(self, admin_client, book):
        response = admin_client.get(admin_url(WalletHolder, f"{book['holder'].pk}/change/"))

        content = response.content.decode()
        assert book["wallet"].public_id in content
        assert book["bank"].public_id in content and book["card"].public_id in content
        assert "••••4242" in content

    def test_staff_without_permissions_cannot_reach_the_pages(self, client, django_user_model):
        staff = django_user_model.objects.create_user(username="staff", password="x", is_staff=True)
        client.force_login(staff)

        assert client.get(admin_url(WalletHolder)).status_code == 403
        assert client.get(admin_url(FundingSource)).status_code == 403
