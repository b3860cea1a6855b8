"""Bank staff edit the FX rate table and the limits table in the admin: validation, normalised rates, and the
in-process caches cleared once the edit commits."""

import pytest

from apps.transfers.fx import fx_price
from apps.transfers.limits import limit_rule_for
from apps.transfers.models import FxRate, LimitRule

pytestmark = pytest.mark.django_db


def rate_form(**overrides):
    return {"base_currency": "USD", "quote_currency": "EUR", "rate": "0.9300", "fee_bps": 50, **overrides}


def rule_form(rule: LimitRule, **overrides):
    fields = (
        "kyc_tier",
        "currency",
        "per_transfer_max",
        "daily_max",
        "monthly_max",
        "review_threshold",
        "new_counterparty_review_amount",
        "velocity_max_count",
        "velocity_window_seconds",
    )
    return {**{name: getattr(rule, name) for name in fields}, **overrides}


class TestFxRateAdmin:
    def test_the_list_shows_every_rate(self, admin_client):
        response = admin_client.get("/admin/transfers/fxrate/")

        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == 42

    def test_an_edit_is_saved_normalised_and_priced_with_at_once(
        self, admin_client, django_capture_on_commit_callbacks
    ):
        rate = FxRate.objects.get(base_currency="USD", quote_currency="EUR")
        fx_price(source_currency="USD", destination_currency="EUR", source_amount=10_000)  # warm the cache

        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(f"/admin/transfers/fxrate/{rate.pk}/change/", rate_form(rate=" 0.93000 "))

        assert response.status_code == 302
        rate.refresh_from_db()
        assert rate.rate == "0.93"
        assert fx_price(source_currency="USD", destination_currency="EUR", source_amount=10_000).rate == "0.93"

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"rate": "-1"}, "rate"),
            ({"rate": "0"}, "rate"),
            ({"rate": "abc"}, "rate"),
            ({"rate": "NaN"}, "rate"),
            ({"rate": "Infinity"}, "rate"),
            ({"rate": "1.23456789012345"}, "rate"),
            ({"rate": "1E+40"}, "rate"),
            ({"base_currency": "ZZZ"}, "base_currency"),
            ({"quote_currency": "XPT"}, "quote_currency"),
            ({"quote_currency": "USD"}, "quote_currency"),
            ({"fee_bps": 10_000}, "fee_bps"),
        ],
    )
    def test_an_invalid_rate_is_refused(self, admin_client, overrides, field):
        rate = FxRate.objects.get(base_currency="USD", quote_currency="EUR")

        response = admin_client.post(f"/admin/transfers/fxrate/{rate.pk}/change/", rate_form(**overrides))

        assert response.status_code == 200
        assert field in response.context["adminform"].form.errors
        rate.refresh_from_db()
        assert rate.rate == "0.9234"

    def test_twelve_significant_digits_are_allowed(self, admin_client):
        rate = FxRate.objects.get(base_currency="USD", quote_currency="EUR")

        admin_client.post(f"/admin/transfers/fxrate/{rate.pk}/change/", rate_form(rate="0.000923412345678"))

        rate.refresh_from_db()
        assert rate.rate == "0.000923412345678"

    def test_a_new_pair_can_be_added(self, admin_client):
        response = admin_client.post(
            "/admin/transfers/fxrate/add/", rate_form(base_currency="usd", quote_currency="sek", rate="10.52")
        )

        assert response.status_code == 302
        assert FxRate.objects.get(base_currency="USD", quote_currency="SEK").rate == "10.52"


class TestLimitRuleAdmin:
    def test_the_list_shows_every_rule(self, admin_client):
        response = admin_client.get("/admin/transfers/limitrule/")

        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == 21
        assert "500.00 USD" in response.content.decode()

    def test_an_edit_applies_at_once(self, admin_client, django_capture_on_commit_callbacks):
        rule = LimitRule.objects.get(kyc_tier="basic", currency="USD")
        assert limit_rule_for(kyc_tier="basic", currency="USD").per_transfer_max == 250_000

        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                f"/admin/transfers/limitrule/{rule.pk}/change/", rule_form(rule, per_transfer_max=300_000)
            )

        assert response.status_code == 302
        assert limit_rule_for(kyc_tier="basic", currency="USD").per_transfer_max == 300_000

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"daily_max": 100}, "daily_max"),
            ({"monthly_max": 100_000}, "monthly_max"),
            ({"per_transfer_max": 0}, "per_transfer_max"),
            ({"review_threshold": -1}, "review_threshold"),
            ({"velocity_window_seconds": 0}, "velocity_window_seconds"),
        ],
    )
    def test_limits_that_do_not_nest_are_refused(self, admin_client, overrides, field):
        rule = LimitRule.objects.get(kyc_tier="basic", currency="USD")

        response = admin_client.post(f"/admin/transfers/limitrule/{rule.pk}/change/", rule_form(rule, **overrides))

        assert response.status_code == 200
        assert field in response.context["adminform"].form.errors

    def test_rules_cannot_be_deleted(self, admin_client):
        rule = LimitRule.objects.get(kyc_tier="basic", currency="USD")

        assert admin_client.get(f"/admin/transfers/limitrule/{rule.pk}/delete/").status_code == 403
