"""The transfers tests start from the seeded reference tables and with empty in-process caches. The parties
several modules share are here: Ada (a basic holder) with a funded USD wallet, an empty EUR wallet and a UK bank
account, and Grace (another holder of the same partner) with an empty USD wallet; a module that needs Ada
otherwise (another tier, another balance) overrides that fixture."""

import pytest

from tests.transfers.factories import fresh_reference_tables
from tests.wallets.factories import add_bank_account, make_holder, make_wallet


@pytest.fixture(autouse=True)
def _reference_tables(request: pytest.FixtureRequest):
    """Every transfers test runs with fresh reference tables, seeded where it uses the database."""
    with fresh_reference_tables(seed=request.node.get_closest_marker("django_db") is not None):
        yield


@pytest.fixture
def instant_rail(settings):
    """The rail's second step (settlement) is due as soon as the first has run (``run_rail``)."""
    settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 0


@pytest.fixture
def ada(partner):
    return make_holder(partner=partner, name="Ada Lovelace")


@pytest.fixture
def grace(partner):
    return make_holder(partner=partner, name="Grace Hopper")


@pytest.fixture
def usd(ada):
    return make_wallet(holder=ada, currency="USD", balance=10_000)


@pytest.fixture
def eur(ada):
    return make_wallet(holder=ada, currency="EUR")


@pytest.fixture
def grace_usd(grace):
    return make_wallet(holder=grace, currency="USD")


@pytest.fixture
def bank(ada):
    return add_bank_account(holder=ada)
