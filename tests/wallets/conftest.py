"""Fixtures the wallets tests share: a basic holder in the partner's sandbox and its empty USD wallet (a module
that needs another tier overrides ``holder``)."""

import pytest

from tests.wallets.factories import make_holder, make_wallet


@pytest.fixture
def holder(partner):
    return make_holder(partner=partner)


@pytest.fixture
def usd(holder):
    return make_wallet(holder=holder)
