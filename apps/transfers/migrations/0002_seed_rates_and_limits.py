"""Seed the FX rate table and the limits table.

The values are frozen here rather than imported from the app, so this migration means the same thing however
the code changes later. Staff edit both tables in the admin afterwards; the reverse deletes only the rows this
migration created (the pairs and tier/currency cells listed below).

Rates are mid-market, as decimal strings: one unit of the base currency buys ``rate`` units of the quote
currency. The USD rows are the reference; every other pair is derived from them and rounded to 6 significant
digits (half-even), so each inverse is 1/rate to within rounding. The fee is 50 basis points of the source
amount on every pair.

Limits are set in US dollars per KYC tier and scaled to each currency by a rough, round value factor (units of
the currency per US dollar), then to minor units by the currency's ISO 4217 exponent (JPY has none).
"""

from decimal import Decimal

from django.db import migrations

FEE_BPS = 50

RATES = [
    ("USD", "EUR", "0.9234"),
    ("USD", "GBP", "0.7891"),
    ("USD", "JPY", "149.82"),
    ("USD", "CHF", "0.8812"),
    ("USD", "CAD", "1.3645"),
    ("USD", "AUD", "1.5312"),
    ("EUR", "USD", "1.08295"),
    ("EUR", "GBP", "0.854559"),
    ("EUR", "JPY", "162.248"),
    ("EUR", "CHF", "0.954299"),
    ("EUR", "CAD", "1.47769"),
    ("EUR", "AUD", "1.65822"),
    ("GBP", "USD", "1.26727"),
    ("GBP", "EUR", "1.17019"),
    ("GBP", "JPY", "189.862"),
    ("GBP", "CHF", "1.11672"),
    ("GBP", "CAD", "1.72919"),
    ("GBP", "AUD", "1.94044"),
    ("JPY", "USD", "0.00667468"),
    ("JPY", "EUR", "0.0061634"),
    ("JPY", "GBP", "0.00526699"),
    ("JPY", "CHF", "0.00588172"),
    ("JPY", "CAD", "0.0091076"),
    ("JPY", "AUD", "0.0102203"),
    ("CHF", "USD", "1.13482"),
    ("CHF", "EUR", "1.04789"),
    ("CHF", "GBP", "0.895483"),
    ("CHF", "JPY", "170.018"),
    ("CHF", "CAD", "1.54846"),
    ("CHF", "AUD", "1.73763"),
    ("CAD", "USD", "0.732869"),
    ("CAD", "EUR", "0.676731"),
    ("CAD", "GBP", "0.578307"),
    ("CAD", "JPY", "109.798"),
    ("CAD", "CHF", "0.645804"),
    ("CAD", "AUD", "1.12217"),
    ("AUD", "USD", "0.653083"),
    ("AUD", "EUR", "0.603056"),
    ("AUD", "GBP", "0.515347"),
    ("AUD", "JPY", "97.8448"),
    ("AUD", "CHF", "0.575496"),
    ("AUD", "CAD", "0.891131"),
]

# Units of the currency per US dollar (round numbers: limits, not prices) and the ISO 4217 exponent.
CURRENCIES = {
    "USD": (Decimal("1"), 2),
    "EUR": (Decimal("0.9"), 2),
    "GBP": (Decimal("0.8"), 2),
    "JPY": (Decimal("150"), 0),
    "CHF": (Decimal("0.9"), 2),
    "CAD": (Decimal("1.4"), 2),
    "AUD": (Decimal("1.5"), 2),
}

# In whole US dollars: per transfer, rolling 24 h, rolling 30 days, review threshold, first transfer to a new
# counterparty; then transfers per velocity window and the window in seconds.
TIERS = {
    "unverified": (500, 1_000, 2_500, 400, 250, 10, 3600),
    "basic": (2_500, 5_000, 20_000, 2_000, 1_000, 30, 3600),
    "full": (25_000, 50_000, 250_000, 10_000, 5_000, 120, 3600),
}


def _minor(usd: int, currency: str) -> int:
    factor, exponent = CURRENCIES[currency]
    value = Decimal(usd) * factor * (Decimal(10) ** exponent)
    assert value == value.to_integral_value(), (usd, currency)
    return int(value)


def seed(apps, schema_editor):
    """Insert the rows; rows that already exist (same pair, same tier and currency) are left as they are."""
    FxRate = apps.get_model("transfers", "FxRate")
    LimitRule = apps.get_model("transfers", "LimitRule")
    db = schema_editor.connection.alias
    FxRate.objects.using(db).bulk_create(
        [FxRate(base_currency=base, quote_currency=quote, rate=rate, fee_bps=FEE_BPS) for base, quote, rate in RATES],
        ignore_conflicts=True,
    )
    rules = []
    for tier, (per_transfer, daily, monthly, review, new_counterparty, count, window) in TIERS.items():
        for currency in CURRENCIES:
            rules.append(
                LimitRule(
                    kyc_tier=tier,
                    currency=currency,
                    per_transfer_max=_minor(per_transfer, currency),
                    daily_max=_minor(daily, currency),
                    monthly_max=_minor(monthly, currency),
                    review_threshold=_minor(review, currency),
                    new_counterparty_review_amount=_minor(new_counterparty, currency),
                    velocity_max_count=count,
                    velocity_window_seconds=window,
                )
            )
    LimitRule.objects.using(db).bulk_create(rules, ignore_conflicts=True)


def unseed(apps, schema_editor):
    FxRate = apps.get_model("transfers", "FxRate")
    LimitRule = apps.get_model("transfers", "LimitRule")
    db = schema_editor.connection.alias
    for base, quote, _rate in RATES:
        FxRate.objects.using(db).filter(base_currency=base, quote_currency=quote).delete()
    LimitRule.objects.using(db).filter(kyc_tier__in=list(TIERS), currency__in=list(CURRENCIES)).delete()


class Migration(migrations.Migration):
    dependencies = [("transfers", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
