"""FX pricing, the seeded rate table and quotes: exact minor-unit arithmetic across exponents, the fee, rounding,
the destination-amount inverse, expiry in the environment's clock and single use."""

import importlib
import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.db import connection

from apps.core.errors import BadRequest, NotFound
from apps.transfers.fx import (
    MAX_AMOUNT,
    AmountTooSmall,
    FxRateUnavailable,
    QuoteExpired,
    QuoteUsed,
    SameCurrency,
    fx_price,
    fx_quote_check_usable,
    fx_quote_get,
    fx_quote_snapshot,
    fx_rates_cache_clear,
)
from apps.transfers.models import FxQuote, FxRate, LimitRule
from apps.wallets.services import InvalidAmount, UnsupportedCurrency
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory
from tests.transfers.factories import api_key_principal, make_quote, make_transfer_row
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db

SEEDED = ["USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD"]
EXPONENT = {"USD": 2, "EUR": 2, "GBP": 2, "JPY": 0, "CHF": 2, "CAD": 2, "AUD": 2}
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def expected_destination(source: int, fee: int, rate: str, src: str, dst: str) -> int:
    """The pricing rule written out independently with Decimal: floor((source - fee) * rate * 10^shift)."""
    exact = (Decimal(source - fee) * Decimal(rate)).scaleb(EXPONENT[dst] - EXPONENT[src])
    return int(exact.to_integral_value(rounding="ROUND_FLOOR"))


def rate(src: str, dst: str) -> str:
    return FxRate.objects.get(base_currency=src, quote_currency=dst).rate


class TestSeededRates:
    def test_every_ordered_pair_of_the_seven_currencies_has_a_rate_with_a_half_percent_fee(self):
        pairs = set(FxRate.objects.values_list("base_currency", "quote_currency"))

        assert pairs == set(itertools.permutations(SEEDED, 2))
        assert set(FxRate.objects.values_list("fee_bps", flat=True)) == {50}

    def test_rates_are_decimal_strings_and_each_inverse_is_one_over_the_rate(self):
        rates = {(r.base_currency, r.quote_currency): Decimal(r.rate) for r in FxRate.objects.all()}

        assert rates["USD", "EUR"] == Decimal("0.9234")
        assert rates["USD", "JPY"] == Decimal("149.82")
        for (base, quote), value in rates.items():
            assert value > 0
            assert len(value.normalize().as_tuple().digits) <= 6
            assert abs(value * rates[quote, base] - 1) < Decimal("0.00001"), (base, quote)

    def test_limits_are_seeded_per_tier_and_currency_scaled_to_each_currencys_minor_units(self):
        rules = {(r.kyc_tier, r.currency): r for r in LimitRule.objects.all()}

        assert set(rules) == set(itertools.product(["unverified", "basic", "full"], SEEDED))
        usd, jpy, gbp = rules["unverified", "USD"], rules["unverified", "JPY"], rules["unverified", "GBP"]
        assert (usd.per_transfer_max, usd.daily_max, usd.monthly_max) == (50_000, 100_000, 250_000)
        assert (usd.review_threshold, usd.new_counterparty_review_amount) == (40_000, 25_000)
        assert (usd.velocity_max_count, usd.velocity_window_seconds) == (10, 3600)
        assert jpy.per_transfer_max == 75_000  # 500 USD is about 75,000 yen, and yen have no minor unit
        assert gbp.per_transfer_max == 40_000
        full = rules["full", "USD"]
        assert (full.per_transfer_max, full.daily_max, full.monthly_max) == (2_500_000, 5_000_000, 25_000_000)
        assert (rules["basic", "USD"].velocity_max_count, full.velocity_max_count) == (30, 120)
        for rule in rules.values():
            assert rule.review_threshold < rule.per_transfer_max <= rule.daily_max <= rule.monthly_max

    def test_the_migration_reverses_and_applies_again(self):
        migration = importlib.import_module("apps.transfers.migrations.0002_seed_rates_and_limits")
        editor = SimpleNamespace(connection=connection)

        migration.unseed(apps, editor)
        assert (FxRate.objects.count(), LimitRule.objects.count()) == (0, 0)

        migration.seed(apps, editor)
        assert (FxRate.objects.count(), LimitRule.objects.count()) == (42, 21)


class TestFxPrice:
    def test_a_source_amount_pays_the_fee_first_and_converts_the_rest(self):
        price = fx_price(source_currency="USD", destination_currency="EUR", source_amount=100_000)

        assert (price.source_amount, price.fee_amount, price.destination_amount) == (100_000, 500, 91_878)
        assert price.rate == "0.9234"
        assert (price.source_currency, price.destination_currency, price.fee_bps) == ("USD", "EUR", 50)

    def test_dollars_to_yen_shift_by_the_exponents(self):
        # 100.00 USD: fee 0.50, then 99.50 x 149.82 = 14,907.09 yen, rounded down.
        price = fx_price(source_currency="USD", destination_currency="JPY", source_amount=10_000)

        assert (price.fee_amount, price.destination_amount) == (50, 14_907)

    def test_yen_to_dollars_shift_the_other_way(self):
        # 10,000 yen: fee 50 yen, then 9,950 x 0.00667468 = 66.413066 USD, rounded down to 66.41.
        price = fx_price(source_currency="JPY", destination_currency="USD", source_amount=10_000)

        assert (price.fee_amount, price.destination_amount) == (50, 6_641)

    @pytest.mark.parametrize("pair", [("USD", "EUR"), ("EUR", "JPY"), ("JPY", "GBP"), ("AUD", "CAD"), ("CHF", "USD")])
    @pytest.mark.parametrize("source", [2, 3, 199, 201, 12_345, 987_654_321, 10**15 + 7])
    def test_the_destination_is_always_rounded_down(self, pair, source):
        src, dst = pair
        try:
            price = fx_price(source_currency=src, destination_currency=dst, source_amount=source)
        except AmountTooSmall:
            assert expected_destination(source, 1, rate(src, dst), src, dst) == 0
            return

        assert price.destination_amount == expected_destination(source, price.fee_amount, price.rate, src, dst)

    def test_a_large_amount_is_exact_where_floats_would_not_be(self):
        # 2**53 - 1 cents is beyond what a float multiplies exactly; Decimal and integers are exact.
        source = MAX_AMOUNT // 2
        price = fx_price(source_currency="USD", destination_currency="EUR", source_amount=source)

        assert price.destination_amount == expected_destination(source, price.fee_amount, "0.9234", "USD", "EUR")

    @pytest.mark.parametrize(
        ("source", "fee"), [(3, 1), (100, 1), (199, 1), (200, 1), (201, 2), (10_000, 50), (10_001, 51)]
    )
    def test_the_fee_rounds_up_with_a_minimum_of_one_minor_unit(self, source, fee):
        assert fx_price(source_currency="USD", destination_currency="EUR", source_amount=source).fee_amount == fee

    def test_an_amount_the_fee_swallows_is_too_small(self):
        with pytest.raises(AmountTooSmall) as raised:
            fx_price(source_currency="USD", destination_currency="EUR", source_amount=1)

        assert raised.value.status == 422
        assert raised.value.code == "amount_too_small"

    def test_an_amount_that_converts_to_less_than_one_minor_unit_is_too_small(self):
        # 2 yen - 1 yen fee = 1 yen, about 0.0067 USD: nothing to credit.
        with pytest.raises(AmountTooSmall):
            fx_price(source_currency="JPY", destination_currency="USD", source_amount=2)

    @pytest.mark.parametrize(("src", "dst"), [("USD", "JPY"), ("JPY", "USD"), ("EUR", "GBP"), ("GBP", "CHF")])
    def test_a_destination_amount_is_bought_with_the_smallest_source_that_reaches_it(self, src, dst):
        for wanted in [1, 2, 7, 99, 100, 101, 1_000, 10_000, 123_456, 9_999_999]:
            price = fx_price(source_currency=src, destination_currency=dst, destination_amount=wanted)

            assert price.destination_amount >= wanted
            assert price.destination_amount == expected_destination(
                price.source_amount, price.fee_amount, price.rate, src, dst
            )
            if price.source_amount > 1:
                try:
                    less = fx_price(
                        source_currency=src, destination_currency=dst, source_amount=price.source_amount - 1
                    )
                except AmountTooSmall:
                    continue
                assert less.destination_amount < wanted, (wanted, price)

    def test_a_destination_amount_reports_what_the_source_actually_buys(self):
        # 1 yen is worth about 0.67 cents: buying at least 1 yen needs 2 cents (1 of them the fee), which
        # buys exactly 1 yen; 10,000 yen needs 67.09 USD.
        assert fx_price(source_currency="USD", destination_currency="JPY", destination_amount=1).source_amount == 2
        price = fx_price(source_currency="USD", destination_currency="JPY", destination_amount=10_000)
        assert (price.source_amount, price.fee_amount, price.destination_amount) == (6_709, 34, 10_000)

    def test_the_same_currency_on_both_sides_is_refused(self):
        with pytest.raises(SameCurrency) as raised:
            fx_price(source_currency="USD", destination_currency="USD", source_amount=100)

        assert (raised.value.status, raised.value.code) == (422, "same_currency")

    @pytest.mark.parametrize(("src", "dst"), [("USD", "SEK"), ("SEK", "USD"), ("USD", "XPT"), ("XPT", "USD")])
    def test_a_pair_without_a_rate_is_unavailable(self, src, dst):
        with pytest.raises(FxRateUnavailable) as raised:
            fx_price(source_currency=src, destination_currency=dst, source_amount=10_000)

        assert (raised.value.status, raised.value.code) == (422, "fx_rate_unavailable")

    def test_an_unknown_currency_is_unsupported(self):
        with pytest.raises(UnsupportedCurrency) as raised:
            fx_price(source_currency="usd", destination_currency="EUR", source_amount=100)

        assert raised.value.errors[0]["field"] == "source_currency"

    @pytest.mark.parametrize("amounts", [{}, {"source_amount": 100, "destination_amount": 100}])
    def test_exactly_one_amount_is_required(self, amounts):
        with pytest.raises(BadRequest) as raised:
            fx_price(source_currency="USD", destination_currency="EUR", **amounts)

        assert raised.value.code == "parameter_invalid"

    @pytest.mark.parametrize("amount", [0, -5, True, 10.0, "100", MAX_AMOUNT + 1])
    def test_an_amount_must_be_a_positive_integer_within_the_maximum(self, amount):
        with pytest.raises(InvalidAmount):
            fx_price(source_currency="USD", destination_currency="EUR", source_amount=amount)
        with pytest.raises(InvalidAmount):
            fx_price(source_currency="USD", destination_currency="EUR", destination_amount=amount)

    def test_a_result_beyond_the_maximum_is_refused(self):
        with pytest.raises(InvalidAmount):
            fx_price(source_currency="USD", destination_currency="JPY", source_amount=MAX_AMOUNT)
        with pytest.raises(InvalidAmount):
            fx_price(source_currency="JPY", destination_currency="USD", destination_amount=MAX_AMOUNT)

    def test_a_rate_edit_is_used_once_the_cache_is_cleared(self):
        fx_price(source_currency="USD", destination_currency="EUR", source_amount=10_000)
        FxRate.objects.filter(base_currency="USD", quote_currency="EUR").update(rate="0.5", fee_bps=0)

        cached = fx_price(source_currency="USD", destination_currency="EUR", source_amount=10_000)
        fx_rates_cache_clear()
        fresh = fx_price(source_currency="USD", destination_currency="EUR", source_amount=10_000)

        assert cached.rate == "0.9234"
        assert (fresh.rate, fresh.fee_amount, fresh.destination_amount) == ("0.5", 1, 4_999)

    def test_a_rate_that_is_not_a_positive_decimal_makes_the_pair_unavailable(self):
        FxRate.objects.filter(base_currency="USD", quote_currency="EUR").update(rate="-1")

        with pytest.raises(FxRateUnavailable):
            fx_price(source_currency="USD", destination_currency="EUR", source_amount=10_000)


class TestFxQuoteCreate:
    @time_machine.travel(NOW, tick=False)
    def test_a_quote_records_the_price_and_expires_after_the_ttl(self, sandbox):
        quote = make_quote(environment=sandbox, source_amount=100_000)

        stored = FxQuote.objects.get()
        assert stored.public_id.startswith("fxq_")
        assert (stored.partner, stored.environment) == (sandbox.partner, sandbox)
        assert (stored.source_amount, stored.fee_amount, stored.destination_amount) == (100_000, 500, 91_878)
        assert (stored.source_currency, stored.destination_currency, stored.rate) == ("USD", "EUR", "0.9234")
        assert stored.expires_at == NOW + timedelta(seconds=60)
        assert stored.used_at is None
        assert quote == stored

    @time_machine.travel(NOW, tick=False)
    def test_the_expiry_follows_the_sandbox_clock(self, sandbox):
        sandbox.clock_offset = timedelta(days=3)
        sandbox.save()

        quote = make_quote(environment=sandbox)

        assert quote.expires_at == NOW + timedelta(days=3, seconds=60)

    @time_machine.travel(NOW, tick=False)
    def test_the_ttl_is_a_setting(self, sandbox, settings):
        settings.FX_QUOTE_TTL_SECONDS = 5

        assert make_quote(environment=sandbox).expires_at == NOW + timedelta(seconds=5)

    def test_a_refused_price_writes_nothing(self, sandbox):
        with pytest.raises(FxRateUnavailable):
            make_quote(environment=sandbox, destination_currency="SEK")

        assert not FxQuote.objects.exists()


class TestFxQuoteGet:
    def test_the_partners_quote_in_its_environment_is_found(self, sandbox):
        quote = make_quote(environment=sandbox)

        assert fx_quote_get(principal=api_key_principal(environment=sandbox), quote_id=quote.public_id) == quote

    def test_another_partners_quote_is_not_found(self, sandbox):
        quote = make_quote(environment=sandbox)
        other = PartnerFactory().environments.get(kind="sandbox")

        with pytest.raises(NotFound):
            fx_quote_get(principal=api_key_principal(environment=other), quote_id=quote.public_id)

    def test_the_same_partners_quote_from_the_other_environment_is_not_found(self, partner, sandbox):
        quote = make_quote(environment=sandbox)
        live = LiveEnvironmentFactory(partner=partner)

        with pytest.raises(NotFound):
            fx_quote_get(principal=api_key_principal(environment=live), quote_id=quote.public_id)


class TestFxQuoteCheckUsable:
    def test_a_fresh_quote_is_usable_until_just_before_it_expires(self, sandbox):
        quote = make_quote(environment=sandbox)

        fx_quote_check_usable(quote=quote, now=quote.expires_at - timedelta(microseconds=1))

    def test_a_quote_is_expired_from_its_expires_at(self, sandbox):
        quote = make_quote(environment=sandbox)

        with pytest.raises(QuoteExpired) as raised:
            fx_quote_check_usable(quote=quote, now=quote.expires_at)

        assert (raised.value.status, raised.value.code) == (422, "quote_expired")

    def test_a_quote_with_used_at_is_used(self, sandbox):
        quote = make_quote(environment=sandbox)
        quote.used_at = quote.created_at

        with pytest.raises(QuoteUsed) as raised:
            fx_quote_check_usable(quote=quote, now=quote.created_at)

        assert (raised.value.status, raised.value.code) == (422, "quote_used")

    def test_a_quote_a_transfer_points_at_is_used_even_without_used_at(self, partner, sandbox):
        holder = make_holder(partner=partner)
        usd, eur = make_wallet(holder=holder, currency="USD"), make_wallet(holder=holder, currency="EUR")
        quote = make_quote(environment=sandbox)
        make_transfer_row(source=usd, destination=eur, amount=quote.source_amount, initiated_at=NOW, fx_quote=quote)

        with pytest.raises(QuoteUsed):
            fx_quote_check_usable(quote=FxQuote.objects.get(pk=quote.pk), now=quote.created_at)

    def test_used_wins_over_expired(self, sandbox):
        quote = make_quote(environment=sandbox)
        quote.used_at = quote.created_at

        with pytest.raises(QuoteUsed):
            fx_quote_check_usable(quote=quote, now=quote.expires_at + timedelta(hours=1))


class TestFxQuoteSnapshot:
    @time_machine.travel(NOW, tick=False)
    def test_the_snapshot_has_the_api_shape(self, sandbox):
        quote = make_quote(environment=sandbox, source_amount=100_000)

        assert fx_quote_snapshot(quote) == {
            "id": quote.public_id,
            "object": "fx_quote",
            "environment": "sandbox",
            "source": {"amount": 100_000, "currency": "USD"},
            "destination": {"amount": 91_878, "currency": "EUR"},
            "fee": {"amount": 500, "currency": "USD"},
            "rate": "0.9234",
            "expires_at": "2026-11-22T09:31:00Z",
            "used": False,
            "created_at": "2026-11-22T09:30:00Z",
        }

    def test_a_used_quote_says_so(self, sandbox):
        quote = make_quote(environment=sandbox)
        quote.used_at = quote.created_at

        assert fx_quote_snapshot(quote)["used"] is True
