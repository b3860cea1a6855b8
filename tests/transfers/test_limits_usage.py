"""The usage buckets behind the limits (``apps.transfers.usage``): the answers are those of summing the holder's
counted transfers, across hour and day edges, as transfers are created, fail, are canceled and are reversed;
the data migration fills the buckets from existing transfers; and on PostgreSQL a passing check reads a bounded
number of rows however long the holder's history."""

import importlib
import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.transfers.lifecycle import transfer_cancel, transfer_reverse
from apps.transfers.limits import LimitExceeded, limit_rule_for, limits_cache_clear, limits_check
from apps.transfers.models import LimitRule, Transfer, TransferUsage
from apps.transfers.services import TransferRequest, transfer_create
from apps.transfers.usage import NOT_COUNTED, usage_rebuild
from tests.transfers.factories import (
    add_bank_account,
    api_key_principal,
    make_transfer_row,
    run_rail,
)
from tests.wallets.factories import DECLINED_ACCOUNT_NUMBER, make_holder, make_wallet

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


def expected(holder, *, start: datetime, currency: str | None, excess_over: int, by_count: bool, window: timedelta):
    """What summing the holder's transfers says (the rule as documented): what counts after ``start``, and when
    enough has left for ``used + excess_over`` to fit. ``excess_over`` is the amount (or 1) minus the limit."""
    rows = Transfer.objects.filter(holder=holder, initiated_at__gt=start).exclude(status__in=NOT_COUNTED)
    if currency is not None:
        rows = rows.filter(currency=currency)
    ordered = list(rows.order_by("initiated_at", "pk").values_list("initiated_at", "amount"))
    used = len(ordered) if by_count else sum(amount for _, amount in ordered)
    excess, freed = used + excess_over, 0
    for at, amount in ordered:
        freed += 1 if by_count else amount
        if freed >= excess:
            return used, rfc(at + window)
    return used, None


class TestWindowsAcrossBuckets:
    """Random histories with transfers on and around hour and day edges, checked against the documented sum at
    many instants (on the hour, on midnight, a microsecond either side, mid-hour)."""

    def history(self, usd, eur, grace_usd, grace_eur, *, seed: int) -> list[datetime]:
        rng = random.Random(seed)
        edges = []
        for _ in range(120):
            base = NOW - timedelta(hours=rng.randrange(0, 31 * 24))
            at = base + rng.choice(
                [
                    timedelta(0),
                    timedelta(microseconds=1),
                    -timedelta(microseconds=1),
                    timedelta(minutes=rng.randrange(60)),
                ]
            )
            edges.append(at)
            wallet, to = (usd, grace_usd) if rng.random() < 0.8 else (eur, grace_eur)
            status = rng.choice([S.SUCCEEDED] * 5 + [S.PENDING, S.HELD, S.REVERSED, S.FAILED, S.CANCELED])
            make_transfer_row(
                source=wallet, destination=to, amount=rng.randrange(1, 5_000), initiated_at=at, status=status
            )
        return edges

    def instants(self, edges: list[datetime], seed: int) -> list[datetime]:
        rng = random.Random(seed)
        picked = [NOW, NOW - timedelta(microseconds=1), NOW + timedelta(minutes=17, seconds=3)]
        for at in rng.sample(edges, 5):
            # A window starting exactly at a transfer, just before it and just after it.
            for shift in (timedelta(0), timedelta(microseconds=1), -timedelta(microseconds=1)):
                picked += [
                    at + timedelta(days=1) + shift,
                    at + timedelta(days=30) + shift,
                    at + timedelta(hours=1) + shift,
                ]
        return picked

    @pytest.mark.parametrize("seed", [1, 2])
    def test_daily_and_monthly_used_and_resets_at_match_the_sum_of_the_transfers(
        self, ada, usd, eur, grace_usd, grace_eur, seed
    ):
        edges = self.history(usd, eur, grace_usd, grace_eur, seed=seed)
        for limit, window in (("daily", timedelta(days=1)), ("monthly", timedelta(days=30))):
            for now in self.instants(edges, seed):
                start = now - window
                used, _ = expected(ada, start=start, currency="USD", excess_over=0, by_count=False, window=window)
                for amount in (1, 2_500):
                    # Exactly full, one unit over, and over by about half of what counts.
                    for maximum in sorted({used + amount, max(used + amount - 1, 1), max(used // 2, 1)}):
                        set_rule(**{f"{limit}_max": maximum})
                        error = refusal(ada, amount, now)
                        if used + amount <= maximum:
                            assert error is None, (limit, now)
                            continue
                        _, resets_at = expected(
                            ada,
                            start=start,
                            currency="USD",
                            excess_over=amount - maximum,
                            by_count=False,
                            window=window,
                        )
                        assert error is not None, (limit, now)
                        seen = (error.extra["limit"], error.extra["used"]["amount"], error.extra["resets_at"])
                        assert seen == (limit, used, resets_at), now

    @pytest.mark.parametrize("window_seconds", [600, 3600, 5400, 86_400 + 1800])
    def test_velocity_counts_every_currency_with_the_windows_edges(
        self, ada, usd, eur, grace_usd, grace_eur, window_seconds
    ):
        edges = self.history(usd, eur, grace_usd, grace_eur, seed=window_seconds)
        window = timedelta(seconds=window_seconds)
        for now in self.instants(edges, window_seconds):
            used, _ = expected(ada, start=now - window, currency=None, excess_over=0, by_count=True, window=window)
            for allowed in {max(used - 2, 0), used}:
                set_rule(velocity_max_count=allowed, velocity_window_seconds=window_seconds)
                _, resets_at = expected(
                    ada, start=now - window, currency=None, excess_over=1 - allowed, by_count=True, window=window
                )
                error = refusal(ada, 1, now)
                assert error is not None, now
                assert (error.extra["limit"], error.extra["used"], error.extra["resets_at"]) == (
                    "velocity",
                    used,
                    resets_at,
                ), now


class TestResetsAcrossBuckets:
    def test_the_reset_is_found_in_a_later_hour_of_a_later_day(self, ada, usd, grace_usd):
        # The window opens in the middle of an hour; the volume that must leave is spread over two days.
        now = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)
        for at, amount in (
            (datetime(2026, 11, 21, 10, 15, tzinfo=UTC), 9_000),  # before the window
            (datetime(2026, 11, 21, 10, 45, tzinfo=UTC), 100),  # the edge hour
            (datetime(2026, 11, 21, 23, 59, tzinfo=UTC), 200),  # an hour bucket of the edge day
            (datetime(2026, 11, 22, 0, 0, tzinfo=UTC), 300),  # midnight: the next day's bucket
            (datetime(2026, 11, 22, 7, 10, tzinfo=UTC), 400),
            (datetime(2026, 11, 22, 7, 20, tzinfo=UTC), 500),
        ):
            make_transfer_row(source=usd, destination=grace_usd, amount=amount, initiated_at=at)
        set_rule(daily_max=1_600)

        error = refusal(ada, 700, now)

        # 1,500 used + 700 = 2,200: 600 must leave (100 + 200 + 300), the last of them at midnight.
        assert (error.extra["used"]["amount"], error.extra["resets_at"]) == (1_500, "2026-11-23T00:00:00Z")
        assert refusal(ada, 1_050, now).extra["resets_at"] == "2026-11-23T07:10:00Z"
        assert refusal(ada, 1_150, now).extra["resets_at"] == "2026-11-23T07:20:00Z"
        assert refusal(ada, 1_601, now).extra["resets_at"] is None

    def test_a_transfer_at_the_windows_start_has_left_it(self, ada, usd, grace_usd):
        now = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
        make_transfer_row(source=usd, destination=grace_usd, amount=500, initiated_at=now - timedelta(days=1))
        make_transfer_row(
            source=usd, destination=grace_usd, amount=500, initiated_at=now - timedelta(days=1, microseconds=-1)
        )
        set_rule(daily_max=1_000)

        assert refusal(ada, 500, now) is None
        error = refusal(ada, 501, now)
        assert (error.extra["used"]["amount"], error.extra["resets_at"]) == (500, "2026-11-22T10:00:00.000001Z")


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


@pytest.mark.postgres
class TestBoundedReads:
    """A passing check on PostgreSQL: one statement that reads only the holder's usage buckets through their
    index, as many rows for a holder with thousands of transfers in the window as the window's days and hours
    allow, and never the transfers."""

    def seed(self, holder, source, destination, count: int) -> None:
        rng = random.Random(3)
        environment = source.holder.partner.environments.get(kind="sandbox")
        Transfer.objects.bulk_create(
            [
                Transfer(
                    partner=holder.partner,
                    environment=environment,
                    type=Transfer.Type.P2P,
                    status=S.SUCCEEDED,
                    holder=holder,
                    source_wallet=source,
                    destination_wallet=destination,
                    amount=100,
                    currency="USD",
                    initiated_at=NOW - timedelta(seconds=rng.randrange(1, 30 * 86_400)),
                )
                for _ in range(count)
            ],
            batch_size=2000,
        )
        usage_rebuild(holder_ids=[holder.pk])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE transfers_transfer")
            cursor.execute("ANALYZE transfers_transferusage")

    def plan(self, holder) -> tuple[int, list[dict]]:
        """The statements of a passing check, and the scan nodes of the first one's plan as it ran."""
        limit_rule_for(kyc_tier="basic", currency="USD")  # the rules table is cached
        with CaptureQueriesContext(connection) as captured:
            limits_check(holder=holder, currency="USD", amount=100, now=NOW)
        (query,) = captured.captured_queries
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
            (plan,) = cursor.fetchone()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        scans: list[dict] = []

        def walk(node: dict) -> None:
            if "Relation Name" in node or "Index Name" in node:
                scans.append(node)
            for child in node.get("Plans", []):
                walk(child)

        walk(plan[0]["Plan"])
        return len(captured.captured_queries), scans

    def test_a_busy_holder_reads_as_few_rows_as_the_window_has_buckets(self, partner, ada, usd, grace_usd):
        set_rule()
        self.seed(ada, usd, grace_usd, 5_000)
        fresh = make_holder(partner=partner, name="Fresh", kyc_tier="basic")

        # At most one day of hour buckets per window, and the day buckets of 30 days (and of today, twice).
        for holder, most in ((ada, 3 * 24 + 31 + 2 * 2), (fresh, 0)):
            statements, scans = self.plan(holder)
            assert statements == 1
            assert {scan.get("Relation Name", "transfers_transferusage") for scan in scans} == {
                "transfers_transferusage"
            }
            assert "Seq Scan" not in {scan["Node Type"] for scan in scans}
            assert {scan["Index Name"] for scan in scans if "Index Name" in scan} == {"transfers_usage_bucket_unique"}
            # Rows the table scans produced or looked at and dropped (a bitmap's index rows are its heap rows).
            read = sum(
                (
                    scan["Actual Rows"]
                    + scan.get("Rows Removed by Filter", 0)
                    + scan.get("Rows Removed by Index Recheck", 0)
                )
                * scan["Actual Loops"]
                for scan in scans
                if "Relation Name" in scan
            )
            assert read <= most, (holder, read)
