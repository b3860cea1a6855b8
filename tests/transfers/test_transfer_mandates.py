"""Payment authorisation: a transfer made with an OAuth token bound to a consent moves money only under one of the
consent's mandates, which records the use in the transfer's own transaction; every way a payment falls outside
its authorisation is its own 403 and writes nothing."""

from datetime import timedelta

import pytest

from apps.oauth_clients.models import Consent, Mandate
from apps.transfers.models import Transfer
from apps.transfers.services import TransferRequest, transfer_create
from tests.helpers import assert_problem, balances, client_as, post_transfer, reread
from tests.oauth_clients.factories import ApplicationFactory, ConsentFactory, MandateFactory, consent_principal
from tests.partners.factories import PartnerFactory
from tests.transfers.factories import api_key_principal, table_counts
from tests.wallets.factories import make_holder, make_wallet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_rail")]


SCOPES = ["accounts:read", "balances:read", "transfers:read", "transfers:write"]


def app_of(environment):
    return ApplicationFactory(environment=environment, allowed_scopes=SCOPES)


@pytest.fixture
def consent(sandbox, ada, usd, eur):
    return ConsentFactory(application=app_of(sandbox), holder=ada, wallets=[usd, eur])


@pytest.fixture
def standing(consent):
    return MandateFactory(
        consent=consent, max_per_payment=3_000, max_per_period=5_000, step_up_threshold=2_000, period="day"
    )


def single(consent, *, payee, amount: int = 2_500):
    return MandateFactory(
        consent=consent,
        kind="single_payment",
        payee=payee.public_id,
        amount=amount,
        max_per_payment=None,
        max_per_period=None,
        period="",
        period_start=None,
    )


def p2p(source, destination, amount: int, currency: str = "USD") -> dict:
    return {
        "type": "p2p",
        "source": source.public_id,
        "destination": destination.public_id,
        "amount": amount,
        "currency": currency,
    }


def api(consent):
    return client_as(consent_principal(consent))


class TestStandingMandate:
    def test_a_payment_within_the_mandate_moves_money_and_counts_against_the_period(
        self, consent, standing, usd, grace_usd
    ):
        response = post_transfer(api(consent), p2p(usd, grace_usd, 1_500))

        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["status"], body["mandate"]) == ("succeeded", standing.public_id)
        assert Transfer.objects.get(public_id=body["id"]).mandate == standing
        assert balances(grace_usd) == (1_500, 1_500)
        standing = reread(standing)
        assert standing.period_used == 1_500
        assert standing.period_start is not None and standing.period_start.hour == 0

    def test_over_the_maximum_per_payment_is_refused_and_writes_nothing(self, consent, standing, usd, grace_usd):
        before = table_counts()

        problem = assert_problem(
            post_transfer(api(consent), p2p(usd, grace_usd, 3_001)), 403, "mandate_amount_exceeded"
        )

        assert problem["max_per_payment"] == 3_000
        assert table_counts() == before
        assert reread(standing).period_used == 0

    def test_over_the_step_up_threshold_needs_a_single_payment_authorisation(self, consent, standing, usd, grace_usd):
        problem = assert_problem(post_transfer(api(consent), p2p(usd, grace_usd, 2_001)), 403, "step_up_required")

        assert "single-payment authorisation" in problem["detail"]
        assert problem["step_up_threshold"] == 2_000

    def test_the_periods_allowance_runs_out_and_comes_back_in_the_next_period(
        self, consent, standing, usd, grace_usd, sandbox
    ):
        client = api(consent)
        for n in range(2):
            assert post_transfer(client, p2p(usd, grace_usd, 2_000), key=f"k{n}").status_code == 201

        problem = assert_problem(
            post_transfer(client, p2p(usd, grace_usd, 1_001), key="k2"), 403, "mandate_period_exhausted"
        )
        assert problem["remaining"] == 1_000
        assert post_transfer(client, p2p(usd, grace_usd, 1_000), key="k3").status_code == 201

        # The sandbox clock moves to the next day: a new period.
        consent.environment.clock_offset = timedelta(days=1)
        consent.environment.save(update_fields=["clock_offset"])
        assert post_transfer(api(reread(consent)), p2p(usd, grace_usd, 2_000), key="k4").status_code == 201
        assert reread(standing).period_used == 2_000

    def test_an_expired_mandate_covers_nothing(self, consent, usd, grace_usd):
        MandateFactory(consent=consent, expires_at=consent.created_at)

        assert_problem(post_transfer(api(consent), p2p(usd, grace_usd, 100)), 403, "mandate_expired")

    def test_a_mandate_in_another_currency_covers_nothing(self, consent, usd, grace_usd):
        MandateFactory(consent=consent, currency="EUR")

        assert_problem(post_transfer(api(consent), p2p(usd, grace_usd, 100)), 403, "mandate_currency_mismatch")

    def test_a_mandate_naming_a_payee_covers_only_that_payee(self, consent, usd, grace_usd, partner):
        MandateFactory(consent=consent, payee=grace_usd.public_id)
        other = make_wallet(holder=make_holder(partner=partner, name="Alan Turing"))

        assert_problem(post_transfer(api(consent), p2p(usd, other, 100)), 403, "mandate_payee_not_covered")
        assert post_transfer(api(consent), p2p(usd, grace_usd, 100), key="k2").status_code == 201


class TestSinglePayment:
    def test_the_exact_payment_goes_through_once(self, consent, usd, grace_usd):
        single_payment = single(consent, payee=grace_usd)
        client = api(consent)

        assert_problem(post_transfer(client, p2p(usd, grace_usd, 2_499), key="k1"), 403, "mandate_amount_mismatch")
        response = post_transfer(client, p2p(usd, grace_usd, 2_500), key="k2")
        assert response.status_code == 201, response.content
        assert response.json()["mandate"] == single_payment.public_id
        assert reread(single_payment).used_at is not None

        assert_problem(post_transfer(client, p2p(usd, grace_usd, 2_500), key="k3"), 403, "mandate_used")
        assert balances(grace_usd) == (2_500, 2_500)

    def test_a_payee_outside_the_single_payment_is_refused(self, consent, usd, grace_usd, partner):
        single(consent, payee=grace_usd)
        other = make_wallet(holder=make_holder(partner=partner, name="Alan Turing"))

        assert_problem(post_transfer(api(consent), p2p(usd, other, 2_500)), 403, "mandate_payee_not_covered")

    def test_a_single_payment_is_used_before_a_standing_mandate(self, consent, standing, usd, grace_usd):
        single_payment = single(consent, payee=grace_usd)

        response = post_transfer(api(consent), p2p(usd, grace_usd, 2_500))

        assert response.json()["mandate"] == single_payment.public_id
        assert reread(standing).period_used == 0


class TestWhoAndWhere:
    def test_transfers_write_alone_moves_no_money(self, consent, usd, grace_usd):
        problem = assert_problem(post_transfer(api(consent), p2p(usd, grace_usd, 100)), 403, "mandate_required")

        assert "mandate" in problem["detail"]

    def test_the_source_must_be_a_consented_wallet(self, sandbox, ada, usd, eur, grace_usd):
        consent = ConsentFactory(application=app_of(sandbox), holder=ada, wallets=[eur])
        MandateFactory(consent=consent)

        problem = assert_problem(post_transfer(api(consent), p2p(usd, grace_usd, 100)), 404, "resource_missing")
        assert problem["errors"][0]["field"] == "source"

    def test_another_partners_wallet_is_no_payee(self, consent, standing, usd):
        stranger = make_wallet(holder=make_holder(partner=PartnerFactory()))

        problem = assert_problem(post_transfer(api(consent), p2p(usd, stranger, 100)), 404, "resource_missing")
        assert problem["errors"][0]["field"] == "destination"

    def test_a_consent_revoked_after_the_token_was_checked_stops_the_payment(self, consent, standing, usd, grace_usd):
        principal = consent_principal(consent)
        Consent.objects.filter(pk=consent.pk).update(status=Consent.Status.REVOKED)

        assert_problem(post_transfer(client_as(principal), p2p(usd, grace_usd, 100)), 401, "consent_inactive")

    def test_a_payout_goes_to_the_holders_bank_account_under_a_mandate(self, consent, usd, bank):
        mandate = single(consent, payee=bank, amount=1_000)
        request = TransferRequest(
            type="payout", source=usd.public_id, destination=bank.public_id, amount=1_000, currency="USD"
        )

        transfer = transfer_create(principal=consent_principal(consent), request=request)

        assert (transfer.status, transfer.mandate) == ("pending", mandate)

    def test_a_secret_key_needs_no_mandate_in_sandbox(self, sandbox, usd, grace_usd):
        transfer = transfer_create(
            principal=api_key_principal(environment=sandbox),
            request=TransferRequest(**p2p(usd, grace_usd, 100)),
        )

        assert (transfer.status, transfer.mandate) == ("succeeded", None)


class TestLive:
    def test_a_live_partner_moves_a_live_holders_money_under_the_holders_consent(self, partner, client_for):
        from apps.partners.services import api_key_create
        from tests.partners.factories import LiveEnvironmentFactory

        live = LiveEnvironmentFactory(partner=partner)
        holder, payee = make_holder(environment="live"), make_holder(environment="live", name="Grace Hopper")
        source, destination = make_wallet(holder=holder, balance=5_000), make_wallet(holder=payee)
        consent = ConsentFactory(holder=holder, application=app_of(live), wallets=[source])
        mandate = MandateFactory(consent=consent, payee=destination.public_id)

        response = post_transfer(api(consent), p2p(source, destination, 1_200))

        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["environment"], body["status"], body["mandate"]) == ("live", "succeeded", mandate.public_id)
        assert balances(destination) == (1_200, 1_200)
        # A live secret key still moves no live holder's money.
        key = client_for(api_key_create(environment=live, name="Live").secret)
        assert_problem(post_transfer(key, p2p(source, destination, 1), key="k2"), 403, "insufficient_scope")

    def test_a_standing_mandate_for_any_payee_pays_any_live_wallet(self, partner):
        from tests.partners.factories import LiveEnvironmentFactory

        live = LiveEnvironmentFactory(partner=partner)
        holder = make_holder(environment="live")
        source = make_wallet(holder=holder, balance=5_000)
        destination = make_wallet(holder=make_holder(environment="live", name="Grace Hopper"))
        consent = ConsentFactory(holder=holder, application=app_of(live), wallets=[source])
        MandateFactory(consent=consent)

        assert post_transfer(api(consent), p2p(source, destination, 700)).status_code == 201
        assert Mandate.objects.get(consent=consent).period_used == 700


class TestGivenBack:
    def test_a_canceled_payout_makes_its_single_payment_usable_again(self, consent, usd, bank):
        from apps.transfers.lifecycle import transfer_cancel

        mandate = single(consent, payee=bank, amount=1_000)
        principal = consent_principal(consent)
        request = TransferRequest(
            type="payout", source=usd.public_id, destination=bank.public_id, amount=1_000, currency="USD"
        )
        transfer = transfer_create(principal=principal, request=request)
        assert reread(mandate).used_at is not None

        transfer_cancel(principal=principal, transfer_id=transfer.public_id)

        assert reread(mandate).used_at is None
        assert transfer_create(principal=principal, request=request).mandate == mandate

    def test_a_payout_failed_at_the_rail_gives_back_its_share_of_the_period(self, ada, consent, usd):
        from tests.transfers.factories import run_rail
        from tests.wallets.factories import DECLINED_ACCOUNT_NUMBER, add_bank_account

        declined = add_bank_account(holder=ada, account_number=DECLINED_ACCOUNT_NUMBER)
        mandate = MandateFactory(consent=consent, period="day")
        request = TransferRequest(
            type="payout", source=usd.public_id, destination=declined.public_id, amount=1_500, currency="USD"
        )
        transfer = transfer_create(principal=consent_principal(consent), request=request)
        assert reread(mandate).period_used == 1_500

        assert run_rail(transfer).status == "failed"
        assert reread(mandate).period_used == 0


class TestBounded:
    def test_the_check_reads_as_many_rows_whatever_the_mandates_and_history(self, consent, usd, grace_usd):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        MandateFactory(consent=consent, period="day")
        client = api(consent)
        with CaptureQueriesContext(connection) as few:
            assert post_transfer(client, p2p(usd, grace_usd, 100), key="k1").status_code == 201
        for n in range(30):
            MandateFactory(consent=consent, currency="EUR")
            single(consent, payee=grace_usd, amount=10 + n)
        for n in range(5):
            assert post_transfer(client, p2p(usd, grace_usd, 10 + n), key=f"h{n}").status_code == 201
        with CaptureQueriesContext(connection) as many:
            assert post_transfer(client, p2p(usd, grace_usd, 100), key="k2").status_code == 201

        assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    ("period", "now", "start"),
    [
        ("day", "2026-11-25T17:45:00+00:00", "2026-11-25T00:00:00+00:00"),
        ("week", "2026-11-25T17:45:00+00:00", "2026-11-23T00:00:00+00:00"),  # a Wednesday; the week from Monday
        ("month", "2026-11-25T17:45:00+00:00", "2026-11-01T00:00:00+00:00"),
        ("day", "2026-11-25T23:30:00-05:00", "2026-11-26T00:00:00+00:00"),  # periods are UTC
    ],
)
def test_periods_are_calendar_periods_in_utc(period, now, start):
    from datetime import datetime

    from apps.oauth_clients.services.payments import period_start

    assert period_start(period, datetime.fromisoformat(now)) == datetime.fromisoformat(start)
