"""A partner's sandbox is seeded in the worker from sign-up, and a reset brings back exactly the seeded data."""

from contextlib import contextmanager
from datetime import date, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client

from apps.events.models import Event
from apps.partners.models import ApiKey, Environment, Partner
from apps.partners.services import SandboxBusy, partner_create, sandbox_reset_request, sandbox_seed_request
from apps.partners.services.sandbox import RESET_TASK, SEED_TASK
from apps.wallets import reconciliation
from apps.wallets.models import Wallet, WalletHolder
from apps.webhooks.models import WebhookEndpoint
from sandbox import lifecycle
from sandbox.lifecycle import sandbox_reset_run, sandbox_seed_run
from sandbox.seed import PERSONAS
from tests.partners.factories import PartnerFactory
from tests.sandbox.test_seed import snapshot
from tests.webhooks.factories import WebhookEndpointFactory

pytestmark = pytest.mark.django_db

ANCHOR = date(2025, 6, 15)


@contextmanager
def broker():
    """The broker replaced: the list fills with the tasks sent, by name."""
    sent: list[tuple[str, dict]] = []
    with mock.patch("apps.partners.services.sandbox.current_app") as app:
        app.tasks.get.return_value = None
        app.send_task.side_effect = lambda name, **options: sent.append((name, options["kwargs"]))
        yield sent


def sent_tasks(callbacks) -> list[tuple[str, dict]]:
    """Run the on-commit callbacks with the broker replaced; the tasks they sent, by name."""
    with broker() as sent:
        for callback in callbacks:
            callback()
    return sent


def seeded(partner: Partner, *, holders: int = 2) -> Environment:
    sandbox = partner.environments.get(kind="sandbox")
    sandbox.seed_anchor = ANCHOR
    sandbox.save()
    with broker():
        sandbox_seed_request(environment=sandbox, holders=holders)
    sandbox_seed_run(environment_id=sandbox.public_id)
    sandbox.refresh_from_db()
    return sandbox


class TestSeededAtSignUp:
    def test_partner_create_with_seed_queues_the_seeding_of_its_sandbox_once_committed(
        self, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as callbacks:
            partner = partner_create(name="Acme", seed=True)

        sandbox = partner.environments.get(kind="sandbox")
        assert (sandbox.seed_status, sandbox.seed_holders) == ("pending", 20)
        assert sent_tasks(callbacks) == [(SEED_TASK, {"environment_id": sandbox.public_id})]

    def test_a_partner_made_without_seed_asks_for_nothing(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as callbacks:
            partner = partner_create(name="Acme")

        assert partner.environments.get().seed_status == "none"
        assert sent_tasks(callbacks) == []

    def test_portal_sign_up_queues_the_seeding(self, client: Client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post(
                "/accounts/signup/",
                {
                    "email": "n@acme.test",
                    "password1": "a-long-pass-9876",
                    "password2": "a-long-pass-9876",
                    "company_name": "Acme",
                },
            )

        assert response.status_code == 302
        sandbox = Partner.objects.get(name="Acme").environments.get()
        assert sandbox.seed_status == "pending"
        assert (SEED_TASK, {"environment_id": sandbox.public_id}) in sent_tasks(callbacks)

    def test_create_partner_queues_the_seeding(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as callbacks:
            call_command("create_partner", "--name", "Acme", "--email", "dev@acme.test", "--json", stdout=StringIO())

        sandbox = Partner.objects.get(name="Acme").environments.get()
        assert sandbox.seed_status == "pending"
        assert sent_tasks(callbacks) == [(SEED_TASK, {"environment_id": sandbox.public_id})]

    def test_the_worker_seeds_the_personas_and_holders_and_the_book_reconciles(self):
        partner = PartnerFactory()

        sandbox = seeded(partner, holders=3)

        assert (sandbox.seed_status, sandbox.seed_anchor) == ("ready", ANCHOR)
        holders = WalletHolder.objects.filter(partner=partner)
        assert holders.count() == len(PERSONAS) + 3
        assert holders.filter(user__username=f"user_good@{partner.public_id}").exists()
        assert reconciliation.reconcile().ok

    def test_a_second_message_for_the_same_request_does_nothing(self):
        sandbox = seeded(PartnerFactory(), holders=1)

        assert sandbox_seed_run(environment_id=sandbox.public_id) is None
        assert WalletHolder.objects.filter(partner=sandbox.partner).count() == len(PERSONAS) + 1

    def test_a_failed_seed_is_recorded_and_leaves_nothing_behind(self):
        partner = PartnerFactory()
        sandbox = partner.environments.get()
        sandbox_seed_request(environment=sandbox, holders=1)

        boom = mock.patch.object(lifecycle, "seed_sandbox", side_effect=RuntimeError("boom"))
        with boom, pytest.raises(RuntimeError):
            sandbox_seed_run(environment_id=sandbox.public_id)

        sandbox.refresh_from_db()
        assert sandbox.seed_status == "failed"
        assert not WalletHolder.objects.filter(partner=partner).exists()

    def test_the_getting_started_page_shows_progress_then_the_data(self, owner):
        sandbox = owner.sandbox
        sandbox_seed_request(environment=sandbox, holders=1)

        pending = owner.client.get("/portal/")
        assert pending.context["sandbox"].seed_status == "pending"
        assert pending.context["sandbox_summary"] is None
        assert b'data-status="pending"' in pending.content

        sandbox_seed_run(environment_id=sandbox.public_id)
        ready = owner.client.get("/portal/")

        summary = ready.context["sandbox_summary"]
        assert summary["holders"] == len(PERSONAS) + 1 and summary["wallets"] >= 2 and summary["transactions"] > 100
        assert summary["persona"]["username"] == f"user_good@{owner.partner.public_id}"
        assert summary["persona"]["holder"].encode() in ready.content


# Committed like the worker's own transactions: PostgreSQL checks a journal's entries at commit, and a seed purged
# in the same transaction that wrote it would leave journals the check cannot find entries for.
@pytest.mark.django_db(transaction=True)
class TestReset:
    def test_reset_restores_exactly_the_seeded_data_and_keeps_keys_apps_and_endpoints(self, sandbox_key):
        partner = sandbox_key.api_key.partner
        sandbox = seeded(partner, holders=2)
        before = snapshot(partner)
        endpoint = WebhookEndpointFactory(partner=partner, environment=sandbox)
        # Change the sandbox: a frozen wallet, a new holder, and the clock a day ahead.
        Wallet.objects.filter(holder__partner=partner).update(status="frozen")
        seeded_ids = set(WalletHolder.objects.filter(partner=partner).values_list("public_id", flat=True))
        Environment.objects.filter(pk=sandbox.pk).update(clock_offset=timedelta(days=1))

        with broker() as sent:
            sandbox_reset_request(environment=sandbox)
        assert sent == [(RESET_TASK, {"environment_id": sandbox.public_id})]
        sandbox_reset_run(environment_id=sandbox.public_id)

        sandbox.refresh_from_db()
        assert (sandbox.seed_status, sandbox.clock_offset) == ("ready", timedelta(0))
        assert snapshot(partner) == before
        assert not WalletHolder.objects.filter(public_id__in=seeded_ids).exists()  # new objects, new ids
        frozen = Wallet.objects.filter(holder__partner=partner, status="frozen")
        assert set(frozen.values_list("holder__user__username", flat=True)) == {f"user_frozen@{partner.public_id}"}
        assert reconciliation.reconcile().ok
        assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
        assert ApiKey.objects.filter(pk=sandbox_key.api_key.pk, revoked_at=None).exists()
        event = Event.objects.get(environment=sandbox, type="sandbox.reset")
        assert event.data["object"]["status"] == "succeeded"

    def test_a_reset_is_refused_while_a_seed_is_under_way(self):
        sandbox = PartnerFactory().environments.get()
        with broker():
            sandbox_seed_request(environment=sandbox, holders=1)

        with pytest.raises(SandboxBusy):
            sandbox_reset_request(environment=sandbox)

    def test_a_failed_reset_changes_nothing(self):
        partner = PartnerFactory()
        sandbox = seeded(partner, holders=1)
        before = snapshot(partner)
        with broker():
            sandbox_reset_request(environment=sandbox)

        boom = mock.patch.object(lifecycle, "seed_sandbox", side_effect=RuntimeError("boom"))
        with boom, pytest.raises(RuntimeError):
            sandbox_reset_run(environment_id=sandbox.public_id)

        sandbox.refresh_from_db()
        assert sandbox.seed_status == "failed"
        assert snapshot(partner) == before
        assert not Event.objects.filter(type="sandbox.reset").exists()

    def test_the_portal_button_queues_a_reset_and_a_viewer_cannot(self, member):
        developer = member("developer")
        viewer = member("viewer", partner=developer.partner)

        with broker() as sent:
            assert viewer.client.post("/portal/sandbox/reset").status_code == 403
            response = developer.client.post("/portal/sandbox/reset")

        assert response.status_code == 302
        assert sent == [(RESET_TASK, {"environment_id": developer.sandbox.public_id})]
