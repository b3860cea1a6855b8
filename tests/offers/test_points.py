"""Points: the partner publishes its programme and rate, a holder's points earned from a points offer are redeemed
into it through the ledger (idempotent, ``points.redeemed``), and redeeming more than held writes nothing."""

from decimal import Decimal

import pytest
from django.db import transaction

from apps.core.scopes import POINTS_WRITE
from apps.events.models import Event
from apps.offers.models import PointsRedemption
from apps.offers.services.funding import offer_funding_add
from apps.offers.services.points import programme_set
from apps.partners.services import api_key_create
from apps.wallets.ledger import POINTS_ISSUANCE, Line, journal_post, system_account, wallet_account
from tests.helpers import assert_book_balanced, assert_problem, book_size, client_as, reread
from tests.offers.factories import opted_in_holder
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory
from tests.transfers.factories import api_key_principal
from tests.wallets.factories import make_holder, make_wallet, oauth_principal

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(partner, sandbox):
    holder = opted_in_holder(partner)
    award_points(make_wallet(holder=holder, currency="XPT"), 500)
    return holder


def award_points(wallet, points):
    """``points`` into the points ``wallet`` from points issuance, through the ledger."""
    holder = wallet.holder
    issuance = system_account(
        code=POINTS_ISSUANCE, currency="XPT", environment=holder.environment, partner=holder.partner
    )
    with transaction.atomic():
        journal_post(
            kind="points_award",
            lines=[Line(issuance, -points), Line(wallet_account(wallet), points)],
            environment=holder.environment,
            partner=holder.partner,
        )


def redeem(client, holder, points, key="r1", reference="order-1"):
    body = {"holder": holder.public_id, "points": points, "reference": reference}
    return client.post("/v1/points/redemptions", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


class TestProgramme:
    def test_the_partner_publishes_and_reads_its_programme(self, sandbox_client):
        assert_problem(sandbox_client.get("/v1/points/programme"), 404, "resource_missing")

        put = sandbox_client.put("/v1/points/programme", {"name": "Gems", "rate": "0.50"}, format="json")

        assert put.status_code == 200, put.content
        assert (put.json()["name"], put.json()["rate"]) == ("Gems", "0.5")
        assert sandbox_client.get("/v1/points/programme").json() == put.json()
        assert_problem(
            sandbox_client.put("/v1/points/programme", {"name": "Gems", "rate": "0"}, format="json"),
            400,
            "parameter_invalid",
        )


class TestRedemption:
    def test_points_move_to_the_programme_at_its_rate_once_per_key(self, sandbox_client, ada):
        sandbox_client.put("/v1/points/programme", {"name": "Gems", "rate": "0.5"}, format="json")

        first = redeem(sandbox_client, ada, 300)
        again = redeem(sandbox_client, ada, 300)

        assert first.status_code == 201, first.content
        body = first.json()
        assert (body["points"], body["programme"], body["rate"], body["value"]) == (300, "Gems", "0.5", "150")
        assert again.json() == body and again["Idempotent-Replayed"] == "true"
        assert reread(ada.wallets.get(currency="XPT")).ledger_balance == 200
        assert PointsRedemption.objects.count() == 1
        event = Event.objects.get(type="points.redeemed")
        assert event.data["object"]["id"] == body["id"]
        assert_book_balanced()

    def test_more_points_than_held_is_refused_and_nothing_is_written(self, sandbox_client, ada):
        sandbox_client.put("/v1/points/programme", {"name": "Gems", "rate": "0.5"}, format="json")
        before = book_size()

        assert_problem(redeem(sandbox_client, ada, 501), 422, "insufficient_funds")
        assert_problem(redeem(sandbox_client, ada, 0, key="r2"), 400, "parameter_invalid")

        assert book_size() == before and not PointsRedemption.objects.exists()

    def test_without_a_programme_or_for_another_partners_holder_nothing_moves(self, sandbox_client, ada):
        assert_problem(redeem(sandbox_client, ada, 10), 409, "points_programme_missing")
        sandbox_client.put("/v1/points/programme", {"name": "Gems", "rate": "1"}, format="json")
        stranger = opted_in_holder(PartnerFactory())

        assert_problem(redeem(sandbox_client, stranger, 10, key="r3"), 404, "resource_missing")
        assert not PointsRedemption.objects.exists()

    def test_a_holders_token_needs_points_write(self, sandbox_client, partner, sandbox, ada):
        sandbox_client.put("/v1/points/programme", {"name": "Gems", "rate": "1"}, format="json")
        without = oauth_principal(partner=partner, environment=sandbox, holder=ada)
        granted = oauth_principal(partner=partner, environment=sandbox, holder=ada, scopes=frozenset({POINTS_WRITE}))

        assert_problem(redeem(client_as(without), ada, 10), 403, "insufficient_scope")
        assert redeem(client_as(granted), ada, 10, key="r4").status_code == 201


class TestLiveRedemptionNeedsTheHoldersConsent:
    @pytest.fixture
    def live(self, partner):
        live = LiveEnvironmentFactory(partner=partner)
        programme_set(principal=api_key_principal(environment=live), name="Gems", rate=Decimal("1"))
        return live

    @pytest.fixture
    def grace(self):
        """A live holder (the bank's customer: no partner) with 400 points in a wallet opened after her consent."""
        holder = make_holder(environment="live", name="Grace Hopper")
        make_wallet(holder=holder, currency="USD")
        award_points(make_wallet(holder=holder, currency="XPT"), 400)
        return holder

    def test_a_live_secret_key_is_refused_whatever_it_holds_and_nothing_moves(self, live, grace, client_for):
        key = api_key_create(environment=live, name="live").secret  # holds points:write, for the programme

        response = redeem(client_for(key), grace, 100)

        assert_problem(response, 403, "insufficient_scope")
        assert "consented" in response.json()["detail"]
        assert not PointsRedemption.objects.exists()
        assert reread(grace.wallets.get(currency="XPT")).ledger_balance == 400

    def test_the_holders_token_with_points_write_redeems_even_an_unshared_points_wallet(self, partner, live, grace):
        usd = grace.wallets.get(currency="USD")
        consented = oauth_principal(
            partner=partner, environment=live, holder=grace, wallets=[usd], scopes=frozenset({POINTS_WRITE})
        )
        without = oauth_principal(partner=partner, environment=live, holder=grace, wallets=[usd])

        assert_problem(redeem(client_as(without), grace, 100), 403, "insufficient_scope")
        response = redeem(client_as(consented), grace, 100, key="live-1")

        assert response.status_code == 201, response.content
        assert (response.json()["environment"], response.json()["value"]) == ("live", "100")
        assert reread(grace.wallets.get(currency="XPT")).ledger_balance == 300
        assert_book_balanced()


def test_points_funding_for_offers_comes_from_points_issuance(sandbox):
    funding = offer_funding_add(environment=sandbox, amount=1_000, currency="XPT")

    assert (funding.currency, funding.funded) == ("XPT", 1_000)
    assert_book_balanced()
