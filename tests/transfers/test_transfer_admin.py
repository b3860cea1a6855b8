"""Bank staff review held transfers in the admin: the actions release or reject them through the services, the
pages are read-only, and a refused action says why instead of failing."""

import re

import pytest

from apps.core.principal import Principal
from apps.core.scopes import PARTNER_LEVEL
from apps.events.models import Event
from apps.transfers.models import Transfer
from apps.transfers.services import TransferRequest, transfer_create
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/transfers/transfer/"


@pytest.fixture
def held(partner, sandbox):
    """A p2p transfer to a sandbox sanctions test name: held for review with its money set aside."""
    source = make_wallet(holder=make_holder(partner=partner, name="Ada Lovelace", kyc_tier="full"), balance=10_000)
    destination = make_wallet(holder=make_holder(partner=partner, name="Sanctioned Person", kyc_tier="full"))
    principal = Principal(
        partner=partner, environment=sandbox, credential_type="api_key", credential_id="key_t", scopes=PARTNER_LEVEL
    )
    transfer = transfer_create(
        principal=principal,
        request=TransferRequest(
            type="p2p", source=source.public_id, destination=destination.public_id, amount=2_500, currency="USD"
        ),
    )
    assert transfer.status == "held"
    return transfer


def _act(admin_client, action: str, transfer: Transfer):
    return admin_client.post(CHANGELIST, {"action": action, "_selected_action": [transfer.pk]}, follow=True)


class TestTransferAdmin:
    def test_the_list_shows_held_transfers_with_their_reason(self, admin_client, held):
        response = admin_client.get(CHANGELIST + "?status__exact=held")

        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [held]
        assert b"compliance_hold" in response.content

    def test_a_transfer_page_is_read_only(self, admin_client, held):
        response = admin_client.get(f"{CHANGELIST}{held.pk}/change/")

        assert response.status_code == 200
        assert not response.context["has_change_permission"]
        assert b'name="_save"' not in response.content

    def test_release_posts_the_transfer_and_records_its_event(self, admin_client, admin_user, held):
        response = _act(admin_client, "release_held", held)

        assert response.status_code == 200
        held.refresh_from_db()
        assert held.status == "succeeded"
        assert held.source_wallet.ledger_balance == 7_500
        assert held.destination_wallet.ledger_balance == 2_500
        steps = list(held.status_changes.order_by("pk").values_list("status", "actor"))
        assert steps[-2:] == [("pending", f"staff:{admin_user.email}"), ("succeeded", f"staff:{admin_user.email}")]
        types = list(Event.objects.filter(object_id=held.public_id).order_by("sequence").values_list("type", flat=True))
        assert types == ["transfer.created", "transfer.held", "transfer.succeeded"]

    def test_reject_fails_the_transfer_and_releases_its_money(self, admin_client, held):
        _act(admin_client, "reject_held", held)

        held.refresh_from_db()
        assert (held.status, held.failure_code) == ("failed", "review_rejected")
        source = held.source_wallet
        source.refresh_from_db()
        assert (source.ledger_balance, source.available_balance) == (10_000, 10_000)
        assert Event.objects.filter(object_id=held.public_id, type="transfer.failed").count() == 1

    def test_an_action_on_a_transfer_that_is_not_held_says_why(self, admin_client, held):
        _act(admin_client, "reject_held", held)

        response = _act(admin_client, "release_held", held)

        messages = [str(m) for m in response.context["messages"]]
        assert any(held.public_id in m and "cannot become pending" in m for m in messages)
        held.refresh_from_db()
        assert held.status == "failed"

    def test_a_refusal_message_keeps_the_id_as_it_is(self, admin_client, held):
        # The admin capitalises the first letter of every message: a message that started with the id showed
        # "Tr_..." for a case-sensitive "tr_...".
        _act(admin_client, "reject_held", held)

        response = _act(admin_client, "release_held", held)

        page = response.content.decode()
        assert f"Transfer {held.public_id} was not released" in page
        assert held.public_id[0].upper() + held.public_id[1:] not in page

    def test_the_list_names_the_partner(self, admin_client, held):
        response = admin_client.get(CHANGELIST)

        shown = re.findall(r'<td class="field-partner[^"]*">([^<]*)</td>', response.content.decode())
        assert shown == [held.partner.name]
