"""The generated SDKs (sdks/, built by ``make sdk``) against a live server: imported from the checkout, not
installed."""

import sys
from pathlib import Path

import pytest

from apps.partners.services import api_key_create
from tests.helpers import skip_or_fail
from tests.transfers.factories import fresh_reference_tables
from tests.wallets.factories import make_holder, make_wallet

SDKS = Path(__file__).resolve().parents[2] / "sdks"


@pytest.fixture(scope="session")
def causeway_sdk():
    """The Python SDK package (sdks/python/causeway_sdk)."""
    if not (SDKS / "python" / "causeway_sdk" / "__init__.py").is_file():
        skip_or_fail("sdks/python is missing: run `make sdk`")
    sys.path.insert(0, str(SDKS / "python"))
    import causeway_sdk

    return causeway_sdk


@pytest.fixture
def world(partner, sandbox):
    """A sandbox key and two wallets of one holder (the payer funded), with the transfer reference tables."""
    with fresh_reference_tables(seed=True):
        ada = make_holder(partner=partner, name="Ada Lovelace", kyc_tier="full")
        payer = make_wallet(holder=ada, currency="USD", balance=100_000)
        payee = make_wallet(holder=make_holder(partner=partner, name="Grace Hopper"), currency="USD")
        key = api_key_create(environment=sandbox, name="SDK smoke test")
        yield {"key": key.secret, "payer": payer.public_id, "payee": payee.public_id}
