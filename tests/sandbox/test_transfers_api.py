"""``/v1/sandbox/transfers/{id}/settle`` and ``/fail``, and the 13.13 magic amount."""

import pytest

from apps.events.models import Event
from apps.transfers.models import Transfer
from tests.helpers import assert_book_balanced, assert_problem, balances, book_size
from tests.transfers.factories import create_transfer, fresh_reference_tables
from tests.wallets.factories import add_bank_account, add_card, make_holder, make_wallet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference_tables():
    with fresh_reference_tables(seed=True):
        yield


@pytest.fixture
def ada(partner):
    return make_holder(partner=partner, name="Ada Lovelace", kyc_tier="full")


@pytest.fixture
def usd(ada):
    return make_wallet(holder=ada, currency="USD", balance=100_000)


def payout(sandbox, usd, amount=2500):
    bank = add_bank_account(holder=usd.holder)
    return create_transfer(
        sandbox, type="payout", source=usd.public_id, destination=bank.public_id, amount=amount, currency="USD"
    )


def top_up(sandbox, usd, last4="4242"):
    card = add_card(holder=usd.holder, last4=last4)
    return create_transfer(
        sandbox, type="top_up", source=card.public_id, destination=usd.public_id, amount=3000, currency="USD"
    )


class TestSettle:
    def test_a_pending_payout_settles_now(self, sandbox_client, sandbox, usd):
        transfer = payout(sandbox, usd)
        assert transfer.status == "pending"

        response = sandbox_client.post(f"/v1/sandbox/transfers/{transfer.public_id}/settle")

        assert response.status_code == 200, response.content
        assert response.json()["status"] == "succeeded"
        assert balances(usd) == (100_000 - 2500, 100_000 - 2500)
        assert Event.objects.filter(type="transfer.succeeded", object_id=transfer.public_id).exists()
        assert_book_balanced()

    def test_a_top_up_from_a_declining_card_settles_when_forced(self, sandbox_client, sandbox, usd):
        transfer = top_up(sandbox, usd, last4="0002")

        response = sandbox_client.post(f"/v1/sandbox/transfers/{transfer.public_id}/settle")

        assert response.json()["status"] == "succeeded"
        assert balances(usd) == (103_000, 103_000)
        assert_book_balanced()


class TestFail:
    def test_a_pending_payout_fails_with_the_chosen_code_and_its_money_comes_back(self, sandbox_client, sandbox, usd):
        transfer = payout(sandbox, usd)

        response = sandbox_client.post(
            f"/v1/sandbox/transfers/{transfer.public_id}/fail",
            {"failure_code": "insufficient_funds_at_bank"},
            format="json",
        )

        body = response.json()
        assert (body["status"], body["failure"]["code"]) == ("failed", "insufficient_funds_at_bank")
        assert balances(usd) == (100_000, 100_000)
        assert Event.objects.filter(type="transfer.failed", object_id=transfer.public_id).exists()
        assert_book_balanced()

    def test_an_unknown_failure_code_is_refused(self, sandbox_client, sandbox, usd):
        transfer = payout(sandbox, usd)

        response = sandbox_client.post(
            f"/v1/sandbox/transfers/{transfer.public_id}/fail", {"failure_code": "bored"}, format="json"
        )

        assert_problem(response, 400, "parameter_invalid")
        assert Transfer.objects.get(pk=transfer.pk).status == "pending"


class TestImpossibleStates:
    def test_a_succeeded_transfer_cannot_be_settled_or_failed(self, sandbox_client, sandbox, usd):
        transfer = payout(sandbox, usd)
        sandbox_client.post(f"/v1/sandbox/transfers/{transfer.public_id}/settle")
        before = book_size()

        for action in ("settle", "fail"):
            response = sandbox_client.post(f"/v1/sandbox/transfers/{transfer.public_id}/{action}")
            assert_problem(response, 409, "invalid_state_transition")
        assert book_size() == before

    def test_a_p2p_transfer_is_not_on_the_rail(self, sandbox_client, sandbox, usd, partner):
        other = make_wallet(holder=make_holder(partner=partner, name="Grace Hopper"), currency="USD")
        transfer = create_transfer(
            sandbox, type="p2p", source=usd.public_id, destination=other.public_id, amount=100, currency="USD"
        )

        assert_problem(
            sandbox_client.post(f"/v1/sandbox/transfers/{transfer.public_id}/settle"), 409, "invalid_state_transition"
        )

    def test_another_partners_transfer_is_a_404(self, sandbox_client):
        from tests.partners.factories import PartnerFactory

        other = PartnerFactory()
        wallet = make_wallet(holder=make_holder(partner=other, kyc_tier="full"), currency="USD", balance=10_000)
        transfer = payout(other.environments.get(), wallet)

        assert_problem(
            sandbox_client.post(f"/v1/sandbox/transfers/{transfer.public_id}/settle"), 404, "resource_missing"
        )
        assert Transfer.objects.get(pk=transfer.pk).status == "pending"


class TestMagicAmount:
    def test_a_payout_of_13_13_fails_with_a_closed_account(self, sandbox, usd, settings):
        from apps.transfers.lifecycle import transfer_advance

        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 0
        transfer = payout(sandbox, usd, amount=1313)

        transfer_advance(transfer_pk=transfer.pk)
        transfer_advance(transfer_pk=transfer.pk)

        transfer.refresh_from_db()
        assert (transfer.status, transfer.failure_code) == ("failed", "bank_account_closed")
        assert balances(usd) == (100_000, 100_000)
