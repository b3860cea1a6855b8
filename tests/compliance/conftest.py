from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from apps.risk.models import Case
from tests.core.factories import UserFactory
from tests.transfers.factories import create_transfer, fresh_reference_tables
from tests.wallets.factories import make_holder, make_wallet


@pytest.fixture(autouse=True)
def _tables(db):
    with fresh_reference_tables(seed=True):  # the seeded limits, and the sandbox's sanctions list
        yield


@pytest.fixture
def approver(db):
    """A second bank staff user: the other pair of eyes."""
    return UserFactory(username="approver@bank.test", email="approver@bank.test", is_staff=True)


@pytest.fixture
def staff_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def approver_client(approver) -> Client:
    client = Client()
    client.force_login(approver)
    return client


@dataclass
class Held:
    """A sandbox p2p to a listed name, held by screening, and the case it opened on the payer."""

    transfer: Any
    payer: Any
    case: Case


@pytest.fixture
def held(sandbox, partner) -> Held:
    payer = make_wallet(holder=make_holder(partner=partner, name="Ada Lovelace", kyc_tier="full"), balance=10_000)
    listed = make_wallet(holder=make_holder(partner=partner, name="Sanctiond Persson", kyc_tier="full"))
    transfer = create_transfer(
        sandbox, type="p2p", source=payer.public_id, destination=listed.public_id, amount=250, currency="USD"
    )
    assert (transfer.status, transfer.review_reason) == ("held", "compliance_hold")
    return Held(transfer=transfer, payer=payer, case=Case.objects.get(holder=payer.holder))
