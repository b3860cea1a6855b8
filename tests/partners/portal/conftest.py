"""Portal fixtures: ``member(role)`` gives a logged-in Django test client for a member of a fresh partner."""

from dataclasses import dataclass
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from apps.partners.models import Membership, Partner
from tests.core.factories import UserFactory
from tests.partners.factories import MembershipFactory, PartnerFactory


@dataclass
class Member:
    client: Client
    user: Any
    partner: Partner
    membership: Membership

    @property
    def sandbox(self) -> Any:
        return self.partner.environments.get(kind="sandbox")


@pytest.fixture
def member(db):
    """``member("owner")`` -> Member; pass ``partner=`` to join an existing partner, ``verified=False`` to
    leave the e-mail unverified."""

    def make(role: str = "owner", *, partner: Partner | None = None, verified: bool = True) -> Member:
        partner = partner or PartnerFactory()
        user = UserFactory()
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
        membership = MembershipFactory(partner=partner, user=user, role=role)
        client = Client()
        client.force_login(user)
        return Member(client=client, user=user, partner=partner, membership=membership)

    return make


@pytest.fixture
def owner(member):
    return member("owner")
