"""The hourly ``api_key.expiring`` notice: one event per key, a week before it expires."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from apps.events import tasks
from apps.events.models import Event
from apps.events.tasks import notify_expiring_api_keys
from apps.partners.models import ApiKey
from apps.partners.services import api_key_create, api_key_revoke, api_key_roll, live_environment_open
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def expiring_events(api_key: ApiKey | None = None):
    events = Event.objects.filter(type="api_key.expiring")
    return events.filter(object_id=api_key.public_id) if api_key is not None else events


def key_expiring_in(environment, delta: timedelta, **kwargs) -> ApiKey:
    return api_key_create(environment=environment, expires_at=timezone.now() + delta, **kwargs).api_key


class TestNotifyExpiringApiKeys:
    def test_a_key_expiring_within_seven_days_gets_exactly_one_event_even_when_run_twice(self, sandbox):
        api_key = key_expiring_in(sandbox, timedelta(days=3), name="Billing")

        first = notify_expiring_api_keys()
        second = notify_expiring_api_keys()

        assert (first, second) == (1, 0)
        event = expiring_events(api_key).get()
        assert (event.partner, event.environment, event.object_type, event.sequence) == (
            sandbox.partner,
            sandbox,
            "api_key",
            1,
        )
        assert ApiKey.objects.get(pk=api_key.pk).expiring_notified_at is not None

    def test_the_event_is_a_snapshot_of_the_key_without_its_secret(self, sandbox):
        issued = api_key_create(
            environment=sandbox,
            name="Billing",
            scopes=["events:read"],
            expires_at=timezone.now().replace(microsecond=0) + timedelta(days=2),
        )

        notify_expiring_api_keys()

        snapshot = expiring_events(issued.api_key).get().data["object"]
        assert snapshot == {
            "id": issued.api_key.public_id,
            "object": "api_key",
            "environment": "sandbox",
            "name": "Billing",
            "redacted": issued.api_key.redacted,
            "restricted": True,
            "scopes": ["events:read"],
            "created_at": issued.api_key.created_at.isoformat().replace("+00:00", "Z"),
            "expires_at": issued.api_key.expires_at.isoformat().replace("+00:00", "Z"),
            "last_used_at": None,
            "rolled_to": None,
        }
        assert issued.secret[-30:] not in str(snapshot)

    @pytest.mark.parametrize("delta", [timedelta(days=8), timedelta(days=7, minutes=1), timedelta(days=365)])
    def test_keys_expiring_later_than_seven_days_are_not_notified_yet(self, sandbox, delta):
        api_key = key_expiring_in(sandbox, delta)

        assert notify_expiring_api_keys() == 0
        assert not expiring_events().exists()
        assert ApiKey.objects.get(pk=api_key.pk).expiring_notified_at is None

    def test_a_key_is_notified_once_it_enters_the_window(self, sandbox):
        api_key = key_expiring_in(sandbox, timedelta(days=8))
        assert notify_expiring_api_keys() == 0

        with time_machine.travel(timezone.now() + timedelta(days=1, hours=1), tick=False):
            assert notify_expiring_api_keys() == 1

        assert expiring_events(api_key).count() == 1

    def test_keys_without_expiry_revoked_or_already_expired_are_not_notified(self, sandbox):
        api_key_create(environment=sandbox, name="Forever")
        revoked = key_expiring_in(sandbox, timedelta(days=2), name="Revoked")
        api_key_revoke(api_key=revoked)
        key_expiring_in(sandbox, -timedelta(minutes=1), name="Expired")

        assert notify_expiring_api_keys() == 0
        assert not expiring_events().exists()

    def test_each_key_gets_its_own_event_in_its_own_partner_and_environment(self, sandbox):
        other_partner = PartnerFactory()
        live = live_environment_open(partner=sandbox.partner)
        keys = [
            key_expiring_in(sandbox, timedelta(days=1)),
            key_expiring_in(live, timedelta(days=6)),
            key_expiring_in(other_partner.environments.get(), timedelta(hours=1)),
        ]

        assert notify_expiring_api_keys() == 3

        for api_key in keys:
            event = expiring_events(api_key).get()
            assert (event.partner_id, event.environment_id) == (api_key.partner_id, api_key.environment_id)
            assert event.data["object"]["environment"] == api_key.environment.kind

    def test_a_rolled_key_in_its_grace_period_is_notified_with_its_replacement(self, sandbox):
        old = api_key_create(environment=sandbox, name="Billing").api_key
        new = api_key_roll(api_key=old, grace=timedelta(days=3), created_by=None).api_key

        assert notify_expiring_api_keys() == 1

        assert expiring_events(old).get().data["object"]["rolled_to"] == new.public_id
        assert not expiring_events(new).exists()

    def test_the_sandbox_clock_decides_when_a_sandbox_key_is_expiring(self, sandbox):
        # Nine days away in real time, but the sandbox clock runs three days ahead: six days on its clock.
        api_key = key_expiring_in(sandbox, timedelta(days=9))
        sandbox.clock_offset = timedelta(days=3)
        sandbox.save(update_fields=["clock_offset"])

        assert notify_expiring_api_keys() == 1

        assert expiring_events(api_key).count() == 1

    def test_a_stale_candidate_list_does_not_notify_a_key_twice(self, sandbox, monkeypatch):
        # A second run that listed the key before the first one committed must not notify it again.
        api_key = key_expiring_in(sandbox, timedelta(days=2))
        stale_ids = [api_key.pk]
        assert notify_expiring_api_keys() == 1
        monkeypatch.setattr(tasks, "api_key_expiring_ids", lambda **_: stale_ids)

        assert notify_expiring_api_keys() == 0

        assert expiring_events(api_key).count() == 1

    def test_a_key_revoked_after_it_was_listed_is_not_notified(self, sandbox, monkeypatch):
        api_key = key_expiring_in(sandbox, timedelta(days=2))
        monkeypatch.setattr(tasks, "api_key_expiring_ids", lambda **_: [api_key.pk])
        api_key_revoke(api_key=api_key)

        assert notify_expiring_api_keys() == 0
        assert not expiring_events().exists()

    def test_the_task_is_the_one_beat_schedules(self):
        scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

        assert notify_expiring_api_keys.name in scheduled
        assert notify_expiring_api_keys.name == "apps.events.tasks.notify_expiring_api_keys"
        assert notify_expiring_api_keys.soft_time_limit < notify_expiring_api_keys.time_limit
