"""A standing mandate's period allowance under real concurrency on PostgreSQL: payments racing for its last part
are checked one after the other under the mandate's lock, so exactly one of them gets it."""

import threading

import pytest

from apps.core.errors import ApplicationError
from apps.oauth_clients.models import Mandate
from apps.transfers.models import Transfer
from apps.transfers.services import TransferRequest, transfer_create
from tests.oauth_clients.factories import ApplicationFactory, ConsentFactory, MandateFactory, consent_principal
from tests.threads import run_threads
from tests.wallets.factories import make_holder, make_wallet

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAYERS = 6


def test_parallel_payments_for_the_last_of_the_periods_allowance_let_exactly_one_through(partner, sandbox):
    holder = make_holder(partner=partner, name="Ada Lovelace", kyc_tier="full")
    usd = make_wallet(holder=holder, balance=100_000)
    payees = [make_wallet(holder=make_holder(partner=partner, name=f"Payee {n}")) for n in range(PAYERS)]
    application = ApplicationFactory(environment=sandbox, allowed_scopes=["accounts:read", "transfers:write"])
    consent = ConsentFactory(application=application, holder=holder, wallets=[usd])
    mandate = MandateFactory(consent=consent, max_per_payment=1_000, max_per_period=5_000, period="day")
    principal = consent_principal(consent)
    pay = lambda payee: transfer_create(  # noqa: E731
        principal=principal,
        request=TransferRequest(
            type="p2p", source=usd.public_id, destination=payee.public_id, amount=1_000, currency="USD"
        ),
    )
    for payee in payees[:4]:
        pay(payee)  # 4,000 of the day's 5,000 used
    barrier = threading.Barrier(2, timeout=30)
    refused: list[str] = []

    def racer(payee):
        def run() -> None:
            barrier.wait()
            try:
                pay(payee)
            except ApplicationError as error:
                refused.append(error.code)

        return run

    raised = run_threads({"first": racer(payees[4]), "second": racer(payees[5])})

    assert raised == {}
    assert refused == ["mandate_period_exhausted"]
    assert Transfer.objects.filter(mandate=mandate, status="succeeded").count() == 5
    assert Mandate.objects.get(pk=mandate.pk).period_used == 5_000
