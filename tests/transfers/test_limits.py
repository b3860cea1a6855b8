"""Limits per KYC tier and currency, and the review rules: which transfers count, which limit is reported, when
it resets, and the query budget of the hot path."""

from datetime import UTC, datetime, timedelta

import pytest

from apps.transfers.limits import (
    LimitExceeded,
    limit_rule_for,
    limits_cache_clear,
    limits_check,
    review_reason,
)
from apps.transfers.models import LimitRule, Transfer
from tests.transfers.factories import make_transfer_row
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
S = Transfer.Status


@pytest.fixture
def payer(partner):
    return make_holder(partner=partner, name="Ada Lovelace", kyc_tier="unverified")


@pytest.fixture
def usd(payer):
    return make_wallet(holder=payer, currency="USD")


@pytest.fixture
def payee(partner):
    return make_holder(partner=partner, name="Grace Hopper", kyc_tier="unverified")


@pytest.fixture
def payee_usd(payee):
    return make_wallet(holder=payee, currency="USD")


def sent(usd, payee_usd, amount: int, ago: timedelta, status: str = S.SUCCEEDED) -> Transfer:
    return make_transfer_row(source=usd, destination=payee_usd, amount=amount, initiated_at=NOW - ago, status=status)


def refused(holder, amount: int, currency: str = "USD") -> LimitExceeded:
    with pytest.raises(LimitExceeded) as raised:
        limits_check(holder=holder, currency=currency, amount=amount, now=NOW)
    assert (raised.value.status, raised.value.code) == (422, "limit_exceeded")
    return raised.value


def rfc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class TestLimitRuleFor:
    def test_the_rule_of_the_tier_and_currency_is_found(self):
        rule = limit_rule_for(kyc_tier="basic", currency="EUR")

        assert (rule.kyc_tier, rule.currency, rule.per_transfer_max) == ("basic", "EUR", 225_000)

    def test_a_currency_without_a_rule_has_none(self):
        assert limit_rule_for(kyc_tier="basic", currency="XPT") is None

    def test_the_table_is_read_once_and_kept(self, django_assert_num_queries):
        limit_rule_for(kyc_tier="basic", currency="EUR")

        with django_assert_num_queries(0):
            limit_rule_for(kyc_tier="full", currency="JPY")
            limit_rule_for(kyc_tier="unverified", currency="GBP")

    def test_an_edit_shows_once_the_cache_is_cleared(self):
        limit_rule_for(kyc_tier="basic", currency="EUR")
        LimitRule.objects.filter(kyc_tier="basic", currency="EUR").update(per_transfer_max=1)

        assert limit_rule_for(kyc_tier="basic", currency="EUR").per_transfer_max == 225_000
        limits_cache_clear()
        assert limit_rule_for(kyc_tier="basic", currency="EUR").per_transfer_max == 1


class TestPerTransferLimit:
    def test_the_limit_itself_is_allowed(self, payer, usd):
        rule = limits_check(holder=payer, currency="USD", amount=50_000, now=NOW)

        assert (rule.kyc_tier, rule.currency) == ("unverified", "USD")

    def test_one_minor_unit_over_is_refused_with_no_reset(self, payer, usd):
        error = refused(payer, 50_001)

        assert error.detail == (
            "This transfer of 500.01 USD exceeds the per-transfer limit of 500.00 USD for unverified holders."
        )
        assert error.extra == {
            "limit": "per_transfer",
            "limit_amount": {"amount": 50_000, "currency": "USD"},
            "used": None,
            "window_seconds": None,
            "resets_at": None,
            "kyc_tier": "unverified",
        }

    def test_the_tier_decides(self, partner):
        full = make_holder(partner=partner, kyc_tier="full")

        assert limits_check(holder=full, currency="USD", amount=2_500_000, now=NOW) is not None

    def test_yen_limits_are_in_whole_yen(self, payer):
        assert limits_check(holder=payer, currency="JPY", amount=75_000, now=NOW) is not None
        assert refused(payer, 75_001, "JPY").detail == (
            "This transfer of 75001 JPY exceeds the per-transfer limit of 75000 JPY for unverified holders."
        )


class TestDailyLimit:
    def test_the_rolling_24_hours_plus_this_transfer_may_reach_the_limit(self, payer, usd, payee_usd):
        sent(usd, payee_usd, 30_000, timedelta(hours=20))
        sent(usd, payee_usd, 40_000, timedelta(hours=2))

        assert limits_check(holder=payer, currency="USD", amount=30_000, now=NOW) is not None

    def test_going_over_reports_when_enough_volume_leaves_the_window(self, payer, usd, payee_usd):
        sent(usd, payee_usd, 30_000, timedelta(hours=20))
        sent(usd, payee_usd, 40_000, timedelta(hours=2))

        error = refused(payer, 40_000)

        # 70,000 used + 40,000 > 100,000: the 30,000 from 20 hours ago must leave, 4 hours from now.
        assert error.extra == {
            "limit": "daily",
            "limit_amount": {"amount": 100_000, "currency": "USD"},
            "used": {"amount": 70_000, "currency": "USD"},
            "window_seconds": 86_400,
            "resets_at": rfc(NOW + timedelta(hours=4)),
            "kyc_tier": "unverified",
        }
        assert error.detail == (
            "This transfer of 400.00 USD would exceed the daily limit of 1000.00 USD for unverified holders: "
            "700.00 USD already counts against it over the last 24 hours. It fits from 2026-11-22T16:00:00Z."
        )

    def test_the_reset_waits_for_as_many_transfers_as_needed(self, payer, usd, payee_usd):
        sent(usd, payee_usd, 20_000, timedelta(hours=23))
        sent(usd, payee_usd, 20_000, timedelta(hours=22))
        sent(usd, payee_usd, 40_000, timedelta(hours=1))

        # 80,000 used + 45,000 = 125,000: 25,000 must leave, so both of the oldest two.
        assert refused(payer, 45_000).extra["resets_at"] == rfc(NOW + timedelta(hours=2))

    def test_a_transfer_exactly_24_hours_old_has_left_the_window(self, payer, usd, payee_usd):
        sent(usd, payee_usd, 50_000, timedelta(hours=24))
        sent(usd, payee_usd, 50_000, timedelta(hours=1))

        assert limits_check(holder=payer, currency="USD", amount=50_000, now=NOW) is not None

    def test_an_amount_over_the_daily_limit_on_its_own_never_fits(self, payer, usd):
        LimitRule.objects.filter(kyc_tier="unverified", currency="USD").update(per_transfer_max=500_000)
        limits_cache_clear()

        error = refused(payer, 150_000)

        assert (error.extra["limit"], error.extra["resets_at"]) == ("daily", None)
        assert "Waiting will not make it fit." in error.detail

    @pytest.mark.parametrize("status", [S.FAILED, S.CANCELED])
    def test_failed_and_canceled_transfers_do_not_count(self, payer, usd, payee_usd, status):
        sent(usd, payee_usd, 50_000, timedelta(hours=1), status=status)
        sent(usd, payee_usd, 50_000, timedelta(hours=2), status=status)

        assert limits_check(holder=payer, currency="USD", amount=50_000, now=NOW) is not None

    @pytest.mark.parametrize("status", [S.PENDING, S.HELD, S.PROCESSING, S.SUCCEEDED, S.REVERSED])
    def test_every_other_status_counts(self, payer, usd, payee_usd, status):
        sent(usd, payee_usd, 50_000, timedelta(hours=1), status=status)
        sent(usd, payee_usd, 50_000, timedelta(hours=2), status=status)

        assert refused(payer, 1).extra["limit"] == "daily"

    def test_other_holders_transfers_do_not_count(self, payer, usd, payee, payee_usd):
        sent(payee_usd, usd, 50_000, timedelta(hours=1))
        sent(payee_usd, usd, 50_000, timedelta(hours=2))

        assert limits_check(holder=payer, currency="USD", amount=50_000, now=NOW) is not None
        assert refused(payee, 1).extra["limit"] == "daily"

    def test_other_currencies_count_against_their_own_limits(self, payer, usd, payee):
        eur = make_wallet(holder=payer, currency="EUR")
        payee_eur = make_wallet(holder=payee, currency="EUR")
        make_transfer_row(source=eur, destination=payee_eur, amount=45_000, initiated_at=NOW - timedelta(hours=1))
        make_transfer_row(source=eur, destination=payee_eur, amount=45_000, initiated_at=NOW - timedelta(hours=2))

        assert limits_check(holder=payer, currency="USD", amount=50_000, now=NOW) is not None
        assert refused(payer, 1, "EUR").extra["limit_amount"] == {"amount": 90_000, "currency": "EUR"}


class TestMonthlyLimit:
    def test_the_rolling_30_days_is_checked_and_resets_as_the_oldest_volume_leaves(self, payer, usd, payee_usd):
        for days in (26, 20, 14, 8, 2):
            sent(usd, payee_usd, 50_000, timedelta(days=days))

        error = refused(payer, 100)

        assert error.extra == {
            "limit": "monthly",
            "limit_amount": {"amount": 250_000, "currency": "USD"},
            "used": {"amount": 250_000, "currency": "USD"},
            "window_seconds": 2_592_000,
            "resets_at": rfc(NOW + timedelta(days=4)),
            "kyc_tier": "unverified",
        }
        assert "30-day limit of 2500.00 USD" in error.detail

    def test_volume_older_than_30_days_does_not_count(self, payer, usd, payee_usd):
        for days in (30, 20, 14, 8, 2):
            sent(usd, payee_usd, 50_000, timedelta(days=days))

        assert limits_check(holder=payer, currency="USD", amount=50_000, now=NOW) is not None

    def test_daily_is_reported_before_monthly(self, payer, usd, payee_usd):
        for days in (26, 20, 14, 8):
            sent(usd, payee_usd, 50_000, timedelta(days=days))
        sent(usd, payee_usd, 50_000, timedelta(hours=3))
        sent(usd, payee_usd, 50_000, timedelta(hours=2))

        assert refused(payer, 100).extra["limit"] == "daily"


class TestVelocityLimit:
    def test_the_count_in_the_window_includes_this_transfer(self, payer, usd, payee_usd):
        for minutes in range(5, 50, 5):  # 9 transfers
            sent(usd, payee_usd, 100, timedelta(minutes=minutes))

        assert limits_check(holder=payer, currency="USD", amount=100, now=NOW) is not None

    def test_one_more_than_allowed_is_refused_until_the_oldest_leaves(self, payer, usd, payee_usd):
        for minutes in range(5, 55, 5):  # 10 transfers, the oldest 50 minutes ago
            sent(usd, payee_usd, 100, timedelta(minutes=minutes))

        error = refused(payer, 100)

        assert error.extra == {
            "limit": "velocity",
            "limit_count": 10,
            "used": 10,
            "window_seconds": 3600,
            "resets_at": rfc(NOW + timedelta(minutes=10)),
            "kyc_tier": "unverified",
        }
        assert error.detail == (
            "The holder has made 10 transfers in the last hour, the most allowed for unverified holders. "
            "Try again from 2026-11-22T12:10:00Z."
        )

    def test_transfers_in_every_currency_count(self, payer, usd, payee, payee_usd):
        eur = make_wallet(holder=payer, currency="EUR")
        payee_eur = make_wallet(holder=payee, currency="EUR")
        for minutes in range(1, 6):
            sent(usd, payee_usd, 100, timedelta(minutes=minutes))
            make_transfer_row(
                source=eur, destination=payee_eur, amount=100, initiated_at=NOW - timedelta(minutes=minutes)
            )

        assert refused(payer, 100, "GBP").extra["limit"] == "velocity"

    def test_failed_transfers_and_those_outside_the_window_do_not_count(self, payer, usd, payee_usd):
        for minutes in range(1, 11):
            sent(usd, payee_usd, 100, timedelta(minutes=minutes), status=S.FAILED)
        for minutes in range(60, 70):
            sent(usd, payee_usd, 100, timedelta(minutes=minutes))

        assert limits_check(holder=payer, currency="USD", amount=100, now=NOW) is not None


class TestLimitsCheckQueries:
    def test_a_passing_check_is_one_query(self, payer, usd, payee_usd, django_assert_num_queries):
        sent(usd, payee_usd, 100, timedelta(minutes=5))
        limit_rule_for(kyc_tier="unverified", currency="USD")

        with django_assert_num_queries(1):
            limits_check(holder=payer, currency="USD", amount=100, now=NOW)

    def test_a_per_transfer_refusal_needs_no_query(self, payer, django_assert_num_queries):
        limit_rule_for(kyc_tier="unverified", currency="USD")

        with django_assert_num_queries(0), pytest.raises(LimitExceeded):
            limits_check(holder=payer, currency="USD", amount=50_001, now=NOW)

    def test_a_rolling_refusal_adds_one_query_for_the_reset(self, payer, usd, payee_usd, django_assert_num_queries):
        sent(usd, payee_usd, 50_000, timedelta(hours=1))
        sent(usd, payee_usd, 50_000, timedelta(hours=2))
        limit_rule_for(kyc_tier="unverified", currency="USD")

        with django_assert_num_queries(2), pytest.raises(LimitExceeded):
            limits_check(holder=payer, currency="USD", amount=100, now=NOW)


class TestNoRule:
    def test_a_currency_without_a_rule_has_no_limits_and_costs_no_query(self, payer, django_assert_num_queries):
        points = make_wallet(holder=payer, currency="XPT")
        limit_rule_for(kyc_tier="unverified", currency="XPT")

        with django_assert_num_queries(0):
            assert limits_check(holder=payer, currency=points.currency, amount=10**12, now=NOW) is None

    def test_a_deleted_rule_lifts_the_limits_of_its_tier_and_currency_only(self, payer):
        LimitRule.objects.filter(kyc_tier="unverified", currency="CAD").delete()

        assert limits_check(holder=payer, currency="CAD", amount=10**9, now=NOW) is None
        assert refused(payer, 10**9, "AUD").extra["limit"] == "per_transfer"


class TestReviewReason:
    def reason(self, payer, payee, amount, *, type="p2p", currency="USD", counterparty=True):
        return review_reason(
            transfer_type=type,
            holder=payer,
            counterparty_holder=payee if counterparty else None,
            amount=amount,
            currency=currency,
            rule=limit_rule_for(kyc_tier=payer.kyc_tier, currency=currency),
        )

    def test_a_small_transfer_needs_no_review(self, payer, payee):
        assert self.reason(payer, payee, 100) == ""

    def test_over_the_review_threshold_is_held(self, payer, payee, usd, payee_usd):
        sent(usd, payee_usd, 100, timedelta(days=3))  # a known counterparty

        assert self.reason(payer, payee, 40_001) == "over_review_threshold"
        assert self.reason(payer, payee, 40_000) == ""

    def test_the_threshold_applies_to_every_type(self, payer):
        assert self.reason(payer, None, 40_001, type="top_up", counterparty=False) == "over_review_threshold"

    def test_a_first_large_transfer_to_a_new_counterparty_is_held(self, payer, payee):
        assert self.reason(payer, payee, 25_000) == "new_counterparty"

    def test_below_the_new_counterparty_amount_no_query_is_made(self, payer, payee, django_assert_num_queries):
        limit_rule_for(kyc_tier="unverified", currency="USD")

        with django_assert_num_queries(0):
            assert self.reason(payer, payee, 24_999) == ""

    @pytest.mark.parametrize("status", [S.SUCCEEDED, S.REVERSED])
    def test_a_counterparty_paid_before_is_known(self, payer, payee, usd, payee_usd, status):
        sent(usd, payee_usd, 100, timedelta(days=40), status=status)

        assert self.reason(payer, payee, 25_000) == ""

    @pytest.mark.parametrize("status", [S.FAILED, S.CANCELED, S.PENDING, S.HELD])
    def test_a_transfer_that_never_arrived_does_not_make_a_counterparty_known(
        self, payer, payee, usd, payee_usd, status
    ):
        sent(usd, payee_usd, 100, timedelta(days=1), status=status)

        assert self.reason(payer, payee, 25_000) == "new_counterparty"

    def test_money_received_from_the_counterparty_does_not_make_it_known(self, payer, payee, usd, payee_usd):
        sent(payee_usd, usd, 100, timedelta(days=1))

        assert self.reason(payer, payee, 25_000) == "new_counterparty"

    def test_the_counterparty_rule_is_for_p2p_between_two_holders_only(self, payer, payee):
        assert self.reason(payer, payee, 25_000, type="payout") == ""
        assert self.reason(payer, payer, 25_000) == ""
        assert self.reason(payer, None, 25_000, counterparty=False) == ""

    def test_a_rule_for_another_currency_is_a_programming_error(self, payer, payee):
        with pytest.raises(ValueError):
            review_reason(
                transfer_type="p2p",
                holder=payer,
                counterparty_holder=payee,
                amount=100,
                currency="EUR",
                rule=limit_rule_for(kyc_tier="unverified", currency="USD"),
            )
