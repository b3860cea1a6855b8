import json
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from apps.partners import keys
from apps.partners.models import ApiKey, Membership, Partner

pytestmark = pytest.mark.django_db


class TestCreatePartnerCommand:
    def test_creates_partner_sandbox_owner_and_a_working_key_printed_once(self, client_for):
        out = StringIO()

        call_command("create_partner", "--name", "Acme Pay", "--email", "Dev@Acme.test", "--json", stdout=out)

        result = json.loads(out.getvalue())
        partner = Partner.objects.get(public_id=result["partner"]["id"])
        assert partner.name == "Acme Pay"
        assert list(partner.environments.values_list("kind", flat=True)) == ["sandbox"]
        membership = Membership.objects.get(partner=partner)
        assert membership.role == "owner"
        assert membership.user.email == "dev@acme.test"
        assert keys.parse(result["secret_key"]) is not None
        assert not ApiKey.objects.filter(digest=result["secret_key"]).exists()  # stored as a digest only
        assert client_for(result["secret_key"]).get("/v1/partner").json()["id"] == partner.public_id

    def test_an_existing_user_becomes_owner_of_a_second_partner(self):
        call_command("create_partner", "--name", "One", "--email", "a@b.test", "--json", stdout=StringIO())
        call_command("create_partner", "--name", "Two", "--email", "a@b.test", "--json", stdout=StringIO())

        user = get_user_model().objects.get(username="a@b.test")
        assert sorted(user.memberships.values_list("partner__name", flat=True)) == ["One", "Two"]

    def test_an_empty_name_is_refused(self):
        with pytest.raises(CommandError):
            call_command("create_partner", "--name", "  ", "--email", "a@b.test", stdout=StringIO())
        assert Partner.objects.count() == 0


def _addresses(user) -> list[tuple[str, bool, bool]]:
    return list(EmailAddress.objects.filter(user=user).values_list("email", "primary", "verified"))


class TestUsersMadeByCommandsHaveAnAddressRecord:
    """A user without an address record could neither verify an address nor be refused two-factor set-up by
    allauth's own rule; commands that make users give them one (docs/portal/accounts.md)."""

    def test_create_partner_records_the_owners_address_unverified(self):
        call_command("create_partner", "--name", "Acme", "--email", "Dev@Acme.test", "--json", stdout=StringIO())

        user = get_user_model().objects.get(username="dev@acme.test")
        assert _addresses(user) == [("dev@acme.test", True, False)]

    def test_createsuperuser_records_the_address_unverified(self, monkeypatch):
        monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-staff-password-1")

        call_command("createsuperuser", interactive=False, username="ops", email="ops@bank.test", stdout=StringIO())

        user = get_user_model().objects.get(username="ops")
        assert user.is_superuser
        assert _addresses(user) == [("ops@bank.test", True, False)]
