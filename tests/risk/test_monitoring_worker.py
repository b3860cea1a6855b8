"""Transaction monitoring with real processes: deposits committed here, a Celery worker on a redis-server this test
starts on loopback runs the rules and raises the alert. Heavy, so ``slow``: it runs in the PostgreSQL pass."""

import time

import pytest

from apps.risk.models import Alert
from apps.wallets import services
from tests.wallets.factories import make_holder, make_wallet
from tests.webhooks.live import live_stack, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


class TestRealWorker:
    def test_structuring_deposits_raise_one_alert_through_the_worker(self, partner, monkeypatch, settings):
        # Celery prefers the variable to its configuration: without it, this process publishes to the test's redis.
        monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
        # As deployed: the commits' holders go out from this process's background sender, merged per round.
        settings.RISK_MONITORING_SENDER = "thread"
        wallet = make_wallet(holder=make_holder(partner=partner, name="Stan Ructure"))
        with live_stack():
            for _ in range(4):
                services.external_credit(wallet=wallet, amount=950_000, type="deposit", category="income")

            assert wait_until(lambda: Alert.objects.filter(kind="structuring").exists(), timeout=120)
            # The fourth deposit's run found the same pattern: still one alert, on the holder's one case.
            time.sleep(2)
        alert = Alert.objects.get()
        assert alert.case.holder_id == wallet.holder_id
        assert len(alert.evidence["transactions"]) in (3, 4)
