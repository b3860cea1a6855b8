"""The portal's sandbox page: browse the sandbox read-only and drive it, each action showing its API call."""

import pytest

from apps.events.models import Event
from tests.helpers import balances, book_size
from tests.partners.factories import PartnerFactory
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db


@pytest.fixture
def wallet(owner):
    return make_wallet(holder=make_holder(partner=owner.partner, name="Ada Lovelace"), balance=10_000)


class TestBrowse:
    def test_the_page_lists_holders_with_wallets_and_balances(self, owner, wallet):
        response = owner.client.get("/portal/sandbox/")

        assert response.status_code == 200
        [row] = response.context["rows"]
        assert row["name"] == "Ada Lovelace"
        assert row["wallets"] == [
            {"id": wallet.public_id, "currency": "USD", "status": "active", "ledger": "100.00", "available": "100.00"}
        ]

    def test_holders_come_a_page_at_a_time(self, owner):
        for number in range(25):
            make_holder(partner=owner.partner, name=f"Holder {number}")

        first = owner.client.get("/portal/sandbox/").context
        second = owner.client.get("/portal/sandbox/?page=2").context

        assert len(first["rows"]) == 20 and len(second["rows"]) == 5

    def test_a_holder_page_lists_its_transactions(self, owner, wallet):
        response = owner.client.get(f"/portal/sandbox/holders/{wallet.holder.public_id}/")

        assert response.status_code == 200
        assert [row["amount"] for row in response.context["rows"]] == ["100.00"]

    def test_another_partners_holder_is_a_404(self, owner):
        other = make_holder(partner=PartnerFactory())

        assert owner.client.get(f"/portal/sandbox/holders/{other.public_id}/").status_code == 404


class TestActions:
    def test_a_deposit_shows_the_api_call_it_made_and_its_answer(self, owner, wallet):
        response = owner.client.post(
            "/portal/sandbox/actions/deposit", {"wallet": wallet.public_id, "amount": "2500", "currency": "USD"}
        )

        assert response.status_code == 302
        assert balances(wallet) == (12_500, 12_500)
        page = owner.client.get("/portal/sandbox/")
        call = page.context["last_call"]
        assert (call["path"], call["status"]) == ("/v1/sandbox/deposits", 201)
        assert '"amount": 2500' in call["body"] and '"status": "posted"' in call["answer"]
        assert b"curl -X POST" in page.content

    def test_a_card_payment_clock_advance_and_event(self, owner, wallet):
        owner.client.post(
            "/portal/sandbox/actions/card",
            {
                "wallet": wallet.public_id,
                "amount": "1000",
                "currency": "USD",
                "merchant_name": "Cafe",
                "category": "dining",
            },
        )
        assert balances(wallet) == (10_000, 9_000)
        owner.client.post("/portal/sandbox/actions/clock", {"seconds": str(3 * 86400)})
        assert balances(wallet) == (9_000, 9_000)  # the card payment posted two days on
        owner.client.post("/portal/sandbox/actions/fire", {"type": "transfer.created"})

        assert Event.objects.filter(type="transfer.created", partner=owner.partner).count() == 1
        assert owner.client.get("/portal/sandbox/").context["last_call"]["path"] == "/v1/sandbox/webhooks/fire"

    def test_bad_input_changes_nothing_and_says_why(self, owner, wallet):
        before = book_size()

        owner.client.post(
            "/portal/sandbox/actions/deposit", {"wallet": wallet.public_id, "amount": "-5", "currency": "USD"}
        )

        assert book_size() == before
        page = owner.client.get("/portal/sandbox/")
        assert b"amount_invalid" in page.content and page.context["last_call"] is None

    def test_a_viewer_browses_but_cannot_act(self, member, wallet, owner):
        viewer = member("viewer", partner=owner.partner)

        assert viewer.client.get("/portal/sandbox/").status_code == 200
        response = viewer.client.post(
            "/portal/sandbox/actions/deposit", {"wallet": wallet.public_id, "amount": "2500", "currency": "USD"}
        )
        assert response.status_code == 403
        assert balances(wallet) == (10_000, 10_000)
