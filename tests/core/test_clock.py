from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from apps.core import clock
from tests.partners.factories import LiveEnvironmentFactory

pytestmark = pytest.mark.django_db

FROZEN = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


class TestClock:
    @time_machine.travel(FROZEN, tick=False)
    def test_live_environments_get_real_time(self, partner):
        live = LiveEnvironmentFactory(partner=partner)

        assert clock.now(environment=live) == FROZEN

    @time_machine.travel(FROZEN, tick=False)
    def test_a_sandbox_environment_gets_real_time_moved_by_its_clock_offset(self, sandbox):
        sandbox.clock_offset = timedelta(days=3, hours=2)

        assert clock.now(environment=sandbox) == FROZEN + timedelta(days=3, hours=2)

    @time_machine.travel(FROZEN, tick=False)
    def test_without_an_environment_it_is_real_time(self):
        assert clock.now() == FROZEN

    def test_a_live_environment_cannot_store_a_clock_offset(self, partner):
        from django.db import IntegrityError, transaction

        live = LiveEnvironmentFactory(partner=partner)
        live.clock_offset = timedelta(hours=1)

        with pytest.raises(IntegrityError), transaction.atomic():
            live.save()
