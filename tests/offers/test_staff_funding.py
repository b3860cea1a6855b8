"""Live offers funding by bank staff against the partner's payment (Django admin): the money goes through the
ledger with a payment row and an audit row, a payment reference funds once however often it is submitted, the
partner's own people cannot reach it, and the funded live environment can then create offers."""

import threading

import pytest
from django.test import Client

from apps.offers.models import OfferFunding, OfferFundingPayment
from apps.offers.services.staff_funding import offer_funding_receive
from apps.partners.models import AuditEvent
from apps.partners.services import api_key_create
from apps.wallets import reconciliation
from apps.wallets.models import Journal
from tests.helpers import assert_book_balanced, book_size
from tests.partners.factories import LiveEnvironmentFactory
from tests.threads import run_threads

pytestmark = pytest.mark.django_db

ADD = "/admin/offers/offerfundingpayment/add/"


@pytest.fixture
def live(partner):
    return LiveEnvironmentFactory(partner=partner)


def record(client, live, *, amount=250_000, reference="PAY-2026-0042", currency="USD"):
    body = {"environment": live.pk, "currency": currency, "amount": amount, "payment_reference": reference}
    return client.post(ADD, body)


class TestStaffRecordAPayment:
    def test_the_payment_funds_live_offers_through_the_ledger_with_an_audit_row(self, admin_client, admin_user, live):
        page = admin_client.get(ADD)
        assert page.status_code == 200 and live.partner.name in page.content.decode()

        response = record(admin_client, live)

        assert response.status_code == 302, response.content
        funding = OfferFunding.objects.get(environment=live, currency="USD")
        assert (funding.funded, funding.allocated) == (250_000, 0)
        payment = OfferFundingPayment.objects.get()
        assert (payment.amount, payment.payment_reference, payment.recorded_by) == (
            250_000,
            "PAY-2026-0042",
            admin_user,
        )
        assert payment.journal.kind == "offer_funding" and payment.journal.environment == "live"
        audit = AuditEvent.objects.get(action="offers_funding.received")
        assert (audit.partner, audit.target_id, audit.environment) == (live.partner, payment.public_id, "live")
        assert audit.actor_email == "Causeway staff"  # the partner sees the bank's decision, not who made it
        assert reconciliation.reconcile().ok
        assert_book_balanced()

    def test_the_same_payment_again_moves_nothing_and_another_amount_under_its_reference_is_refused(
        self, admin_client, live
    ):
        record(admin_client, live)
        before = book_size()

        again = record(admin_client, live)
        conflicting = record(admin_client, live, amount=1)

        assert again.status_code == 302
        assert conflicting.status_code == 200 and "already recorded" in conflicting.content.decode()
        assert book_size() == before
        assert OfferFunding.objects.get(environment=live).funded == 250_000
        assert OfferFundingPayment.objects.count() == 1
        assert AuditEvent.objects.filter(action="offers_funding.received").count() == 1

    def test_a_sandbox_is_never_funded_here(self, admin_user, sandbox):
        before = book_size()

        with pytest.raises(Exception) as raised:
            offer_funding_receive(
                environment=sandbox, currency="USD", amount=100, payment_reference="X", staff_user=admin_user
            )

        assert raised.value.code == "offer_funding_live_only"
        assert book_size() == before and not OfferFundingPayment.objects.exists()

    def test_bad_input_writes_nothing(self, admin_client, live):
        before = book_size()

        for response in (record(admin_client, live, amount=0), record(admin_client, live, reference="")):
            assert response.status_code == 200

        assert book_size() == before and not OfferFundingPayment.objects.exists()

    def test_a_partner_member_who_is_not_staff_cannot_fund(self, live, django_user_model):
        member = Client()
        member.force_login(django_user_model.objects.create_user(username="owner@acme.test"))

        response = record(member, live)

        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        assert not OfferFundingPayment.objects.exists() and not Journal.objects.filter(kind="offer_funding").exists()

    def test_once_funded_the_live_key_creates_an_offer(self, admin_client, live, client_for):
        key = client_for(api_key_create(environment=live, name="live").secret)
        body = {
            "merchant": {"name": "Bean There Coffee", "category": "dining"},
            "reward": {"type": "cashback_fixed", "value": 100},
            "min_spend": 500,
            "currency": "USD",
            "budget": {"amount": 50_000, "currency": "USD"},
        }
        refused = key.post("/v1/offers", body, format="json")
        assert refused.status_code == 422 and refused.json()["code"] == "offer_funding_insufficient"

        record(admin_client, live)

        created = key.post("/v1/offers", body, format="json")
        assert created.status_code == 201, created.content
        assert created.json()["environment"] == "live"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_recording_one_payment_at_once_fund_it_once(partner, django_user_model):
    live = LiveEnvironmentFactory(partner=partner)
    staff = django_user_model.objects.create_user(username="staff@bank.test", is_staff=True)
    start = threading.Barrier(4)
    results = []

    def submit():
        start.wait()
        results.append(
            offer_funding_receive(
                environment=live, currency="USD", amount=9_000, payment_reference="PAY-1", staff_user=staff
            ).created
        )

    raised = run_threads({f"staff {n}": submit for n in range(4)})

    assert raised == {}
    assert sorted(results) == [False, False, False, True]
    assert OfferFunding.objects.get(environment=live).funded == 9_000
    assert Journal.objects.filter(kind="offer_funding").count() == 1
    assert reconciliation.reconcile().ok
