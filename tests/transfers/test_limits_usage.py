"""The usage buckets behind the limits (``apps.transfers.usage``): they follow the holder's counted transfers as
transfers are created, fail, are canceled and are reversed, and the data migration fills them from existing
transfers."""

import importlib
import random
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps as django_apps

from apps.transfers.lifecycle import transfer_cancel, transfer_reverse
from apps.transfers.limits import LimitExceeded, limits_cache_clear, limits_check
from apps.transfers.models import LimitRule, Transfer, TransferUsage
from apps.transfers.services import TransferRequest, transfer_create
from apps.transfers.usage import usage_rebuild
from tests.transfers.factories import (
    add_bank_account,
    api_key_principal,
    make_transfer_row,
    run_rail,
)
from tests.wallets.factories import DECLINED_ACCOUNT_NUMBER, make_wallet

pytestmark = pytest.mark.django_db

S = Transfer.Status
# On the hour and on midnight, so windows start exactly on bucket edges too.
NOW = datetime(2026, 11, 22, 0, 0, tzinfo=UTC)
BIG = 10**15
_BACKFILL = importlib.import_module("apps.transfers.migrations.0007_transfer_usage_backfill")


@pytest.fixture
def usd(ada):
    return make_wallet(holder=ada, currency="USD", balance=10**9)


@pytest.fixture
def eur(ada):
    return make_wallet(holder=ada, currency="EUR", balance=10**9)


@pytest.fixture
def grace_eur(grace):
    return make_wallet(holder=grace, currency="EUR")


def set_rule(currency: str = "USD", **limits: int) -> None:
    """The basic tier's rule in ``currency`` with ``limits`` and every other limit out of the way."""
    values = {
        "per_transfer_max": BIG,
        "daily_max": BIG,
        "monthly_max": BIG,
        "review_threshold": BIG,
        "new_counterparty_review_amount": BIG,
        "velocity_max_count": 10**9,
        "velocity_window_seconds": 3600,
    }
    LimitRule.objects.update_or_create(kyc_tier="basic", currency=currency, defaults={**values, **limits})
    limits_cache_clear()


def refusal(holder, amount: int, now: datetime, currency: str = "USD") -> LimitExceeded | None:
    try:
        limits_check(holder=holder, currency=currency, amount=amount, now=now)
    except LimitExceeded as error:
        return error
    return None


def rfc(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def create(sandbox, kind: str, source, destination, amount: int) -> Transfer:
    """A ``kind`` transfer from ``source`` to ``destination`` (wallets or bank accounts) in the source's currency."""
    request = TransferRequest(
        type=kind, source=source.public_id, destination=destination.public_id, amount=amount, currency=source.currency
    )
    return transfer_create(principal=api_key_principal(environment=sandbox), request=request)


def buckets(holder) -> dict[tuple[str, datetime, str], tuple[int, int]]:
    return {
        (row.span, row.period_start, row.currency): (row.amount, row.count)
        for row in TransferUsage.objects.filter(holder=holder)
    }


@pytest.mark.usefixtures("instant_rail")
class TestUsageFollowsTransfers:
    def test_a_transfer_counts_in_its_hour_and_its_day(self, sandbox, ada, usd, grace_usd):
        set_rule()
        transfer = create(sandbox, "p2p", usd, grace_usd, 700)
        hour = transfer.initiated_at.replace(minute=0, second=0, microsecond=0)

        assert buckets(ada) == {("hour", hour, "USD"): (700, 1), ("day", hour.replace(hour=0), "USD"): (700, 1)}

    def test_a_failed_top_up_stops_counting(self, sandbox, ada, usd):
        set_rule(daily_max=150_000)
        declined = add_bank_account(holder=ada, account_number=DECLINED_ACCOUNT_NUMBER)
        top_up = create(sandbox, "top_up", declined, usd, 100_000)
        now = top_up.initiated_at
        assert refusal(ada, 100_000, now).extra["used"]["amount"] == 100_000

        assert run_rail(top_up).status == S.FAILED
        assert refusal(ada, 100_000, now) is None
        assert set(buckets(ada).values()) == {(0, 0)}

    def test_a_canceled_payout_stops_counting(self, sandbox, ada, usd, bank):
        set_rule(daily_max=150_000)
        payout = create(sandbox, "payout", usd, bank, 100_000)
        transfer_cancel(principal=api_key_principal(environment=sandbox), transfer_id=payout.public_id)

        assert refusal(ada, 150_000, payout.initiated_at) is None

    def test_a_reversed_transfer_keeps_counting(self, sandbox, ada, usd, grace_usd):
        set_rule(daily_max=150_000)
        transfer = create(sandbox, "p2p", usd, grace_usd, 100_000)
        transfer_reverse(principal=api_key_principal(environment=sandbox), transfer_id=transfer.public_id)

        assert Transfer.objects.get(pk=transfer.pk).status == S.REVERSED
        assert refusal(ada, 60_000, transfer.initiated_at).extra["used"]["amount"] == 100_000

    def test_transfers_in_two_currencies_share_the_velocity_count(self, sandbox, usd, eur, grace_usd, grace_eur):
        set_rule("USD", velocity_max_count=3)
        set_rule("EUR", velocity_max_count=3)
        for wallet, to in ((usd, grace_usd), (eur, grace_eur), (usd, grace_usd)):
            create(sandbox, "p2p", wallet, to, 1)

        with pytest.raises(LimitExceeded) as raised:
            create(sandbox, "p2p", eur, grace_eur, 1)
        assert (raised.value.extra["limit"], raised.value.extra["used"]) == ("velocity", 3)


class TestBackfill:
    def test_the_migration_rebuilds_what_the_transfers_kept(self, ada, usd, eur, grace_usd, grace_eur):
        rng = random.Random(5)
        for _ in range(60):
            wallet, to = (usd, grace_usd) if rng.random() < 0.7 else (eur, grace_eur)
            status = rng.choice([S.SUCCEEDED, S.PENDING, S.REVERSED, S.FAILED, S.CANCELED])
            at = NOW - timedelta(minutes=rng.randrange(0, 40 * 24 * 60), microseconds=rng.randrange(10**6))
            make_transfer_row(
                source=wallet, destination=to, amount=rng.randrange(1, 10**6), initiated_at=at, status=status
            )
        kept = buckets(ada)
        TransferUsage.objects.all().delete()

        _BACKFILL.backfill(django_apps, None)

        assert buckets(ada) == {key: value for key, value in kept.items() if value != (0, 0)}

    def test_a_rebuild_of_some_holders_leaves_the_others(self, ada, usd, grace, grace_usd):
        make_transfer_row(source=usd, destination=grace_usd, amount=10, initiated_at=NOW)
        make_transfer_row(source=grace_usd, destination=usd, amount=20, initiated_at=NOW)
        TransferUsage.objects.filter(holder=grace).update(amount=999)

        assert usage_rebuild(holder_ids=[ada.pk]) == 2

        assert set(buckets(grace).values()) == {(999, 1)}
