"""Dated API versions (docs/versioning.md): the header, the partner's pin, the transforms for older clients, the
deprecation headers and the portal's upgrade page."""

import copy
import html

import pytest

from apps.core import versioning
from apps.partners.models import AuditEvent
from apps.partners.services.sandbox import sandbox_key_cache_drop
from tests.helpers import assert_problem, reread
from tests.sandbox.test_transfers_api import payout
from tests.transfers.factories import fresh_reference_tables
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db

OLD = versioning.VERSIONS[0]
NEW = versioning.LATEST


@pytest.fixture
def failed_transfer(sandbox_client, sandbox, partner):
    """A payout the sandbox rail refused: ``failure_code`` ``bank_account_closed``."""
    with fresh_reference_tables(seed=True):
        usd = make_wallet(holder=make_holder(partner=partner), currency="USD", balance=100_000)
        transfer = payout(sandbox, usd)
        response = sandbox_client.post(
            f"/v1/sandbox/transfers/{transfer.public_id}/fail", {"failure_code": "bank_account_closed"}, format="json"
        )
        assert response.status_code == 200, response.content
        yield transfer


def pin(partner, version):
    """Pin ``partner`` to ``version`` as an older partner would be (dropping the keys cached with its pin)."""
    partner.api_version = version
    partner.save(update_fields=["api_version"])
    for environment in partner.environments.all():
        sandbox_key_cache_drop(environment=environment)


class TestVersionOfARequest:
    def test_a_new_partner_is_pinned_to_the_latest_version_and_every_response_says_so(self, sandbox_client, partner):
        response = sandbox_client.get("/v1/events")

        assert partner.api_version == NEW
        assert response["Causeway-Version"] == NEW
        assert not response.has_header("Deprecation") and not response.has_header("Sunset")

    @pytest.mark.parametrize("value", ["1999-01-01", "2026-13-45", "latest", "", "2026-11-01 "])
    def test_an_unknown_version_is_a_400_problem_naming_the_versions(self, sandbox_client, value):
        response = sandbox_client.get("/v1/events", HTTP_CAUSEWAY_VERSION=value)

        body = assert_problem(response, 400, "api_version_unknown")
        assert all(version in body["detail"] for version in versioning.VERSIONS)
        assert body["errors"][0]["field"] == "Causeway-Version"

    def test_an_unknown_version_is_refused_before_anything_is_written(self, sandbox_client, sandbox):
        from apps.events.models import Event

        before = Event.objects.count()
        response = sandbox_client.post(
            "/v1/sandbox/webhooks/fire", {"type": "transfer.failed"}, format="json", HTTP_CAUSEWAY_VERSION="2020-01-01"
        )

        assert_problem(response, 400, "api_version_unknown")
        assert Event.objects.count() == before

    def test_errors_and_unauthenticated_requests_state_the_version_too(self, client):
        response = client.get("/v1/events")

        assert response.status_code == 401
        assert response["Causeway-Version"] == NEW

    def test_a_request_header_overrides_the_partners_pin(self, sandbox_client, partner):
        pin(partner, NEW)

        response = sandbox_client.get("/v1/events", HTTP_CAUSEWAY_VERSION=OLD)

        assert response["Causeway-Version"] == OLD


class TestTransferFailureChange:
    def test_the_latest_version_has_one_failure_object(self, sandbox_client, failed_transfer):
        body = sandbox_client.get(f"/v1/transfers/{failed_transfer.public_id}").json()

        assert body["failure"]["code"] == "bank_account_closed" and body["failure"]["message"]
        assert "failure_code" not in body and "failure_message" not in body

    def test_a_partner_pinned_before_the_change_gets_the_flat_fields(self, sandbox_client, partner, failed_transfer):
        pin(partner, OLD)

        response = sandbox_client.get(f"/v1/transfers/{failed_transfer.public_id}")

        body = response.json()
        assert response["Causeway-Version"] == OLD
        assert body["failure_code"] == "bank_account_closed" and body["failure_message"]
        assert "failure" not in body
        assert body["id"] == failed_transfer.public_id and body["status"] == "failed"

    def test_an_old_client_sees_the_flat_fields_in_lists_too(self, sandbox_client, failed_transfer):
        body = sandbox_client.get("/v1/transfers", HTTP_CAUSEWAY_VERSION=OLD).json()

        (item,) = [t for t in body["data"] if t["id"] == failed_transfer.public_id]
        assert (item["failure_code"], "failure" in item) == ("bank_account_closed", False)
        assert body["object"] == "list"

    def test_a_transfer_that_did_not_fail_has_null_fields_for_old_clients(self):
        old = versioning.render({"object": "transfer", "status": "succeeded", "failure": None}, OLD)

        assert old == {"object": "transfer", "status": "succeeded", "failure_code": None, "failure_message": None}

    def test_events_are_rendered_in_the_requests_version(self, sandbox_client, partner, failed_transfer):
        pin(partner, OLD)
        (event,) = [
            e
            for e in sandbox_client.get("/v1/events?limit=100").json()["data"]
            if e["type"] == "transfer.failed" and e["data"]["object"]["id"] == failed_transfer.public_id
        ]

        assert event["api_version"] == OLD
        assert event["data"]["object"]["failure_code"] == "bank_account_closed"
        latest = sandbox_client.get(f"/v1/events/{event['id']}", HTTP_CAUSEWAY_VERSION=NEW).json()
        assert latest["api_version"] == NEW and latest["data"]["object"]["failure"]["code"] == "bank_account_closed"

    def test_responses_in_a_replaced_version_carry_deprecation_and_sunset(self, sandbox_client, partner):
        pin(partner, OLD)

        response = sandbox_client.get("/v1/events")

        deprecated, sunset = versioning.deprecated_on(OLD), versioning.sunset_on(OLD)
        assert deprecated is not None and sunset is not None and sunset > deprecated
        assert response["Deprecation"].startswith("@") and response["Deprecation"][1:].isdigit()
        assert response["Sunset"].endswith("GMT") and str(sunset.year) in response["Sunset"]
        assert 'rel="deprecation"' in response["Link"]


class TestRender:
    EVENT = {
        "id": "evt_1",
        "object": "event",
        "api_version": NEW,
        "data": {
            "object": {"id": "tr_1", "object": "transfer", "failure": {"code": "x", "message": "m"}},
            "previous_attributes": {"status": "processing", "failure": None},
        },
    }

    def test_the_latest_version_returns_the_payload_itself(self):
        assert versioning.render(self.EVENT, NEW) is self.EVENT

    def test_an_older_version_gets_a_transformed_copy_and_the_original_is_untouched(self):
        original = copy.deepcopy(self.EVENT)

        old = versioning.render({"object": "list", "data": [self.EVENT]}, OLD)["data"][0]

        assert original == self.EVENT
        assert old["api_version"] == OLD
        assert old["data"]["object"] == {
            "id": "tr_1",
            "object": "transfer",
            "failure_code": "x",
            "failure_message": "m",
        }
        assert old["data"]["previous_attributes"] == {
            "status": "processing",
            "failure_code": None,
            "failure_message": None,
        }

    def test_other_objects_and_partial_objects_without_the_field_pass_unchanged(self):
        data = {"object": "wallet", "id": "wal_1", "failure": "kept"}

        assert versioning.render(data, OLD) == data

    def test_every_version_is_a_date_and_changes_are_in_order(self):
        assert list(versioning.VERSIONS) == sorted(versioning.VERSIONS)
        assert [c.version for c in versioning.CHANGES] == sorted(c.version for c in versioning.CHANGES)
        assert versioning.changes_since(NEW) == []
        assert versioning.changes_since(OLD) == list(versioning.CHANGES)


class TestApiVersionPage:
    def test_a_pinned_partner_sees_its_version_and_what_upgrading_changes(self, owner):
        pin(owner.partner, OLD)

        page = owner.client.get("/portal/api-version/").content.decode()

        assert f'data-pinned="{OLD}"' in page and f"Upgrade to {NEW}" in page
        for change in versioning.changes_since(OLD):
            assert html.escape(change.title) in page
        assert "<code>failure_code</code>" in page

    def test_upgrading_pins_the_latest_version_and_is_audited(self, owner):
        pin(owner.partner, OLD)

        response = owner.client.post("/portal/api-version/", {"version": NEW})

        assert response.status_code == 302
        assert reread(owner.partner).api_version == NEW
        audit = AuditEvent.objects.get(action="partner.api_version_upgraded")
        assert audit.metadata == {"from": OLD, "to": NEW}
        assert 'data-testid="up-to-date"' in owner.client.get("/portal/api-version/").content.decode()

    def test_a_stale_page_upgrades_nothing(self, owner):
        pin(owner.partner, OLD)

        owner.client.post("/portal/api-version/", {"version": OLD})

        assert reread(owner.partner).api_version == OLD

    def test_a_developer_sees_the_page_but_cannot_upgrade(self, member):
        developer = member("developer")
        pin(developer.partner, OLD)

        assert "Upgrade to" not in developer.client.get("/portal/api-version/").content.decode()
        assert developer.client.post("/portal/api-version/", {"version": NEW}).status_code == 403
        assert reread(developer.partner).api_version == OLD
