"""The risk score's rules (docs/risk.md, "Risk score"), as a pure function of plain values: each reason on its
own, the sum and its cap, the levels."""

from datetime import UTC, datetime, timedelta

import pytest

from apps.risk import scoring
from apps.risk.scoring import RiskInputs, level_for, score

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=400)


def inputs(**values):
    """An old holder paying a known counterparty an ordinary amount: no rule applies."""
    base = {
        "amount": 1_000,
        "now": NOW,
        "holder_created_at": OLD,
        "month_amount": 10_000,
        "month_count": 10,
        "recent_count": 1,
        "velocity_max": 10,
        "counterparty_seen": True,
    }
    return RiskInputs(**{**base, **values})


class TestRules:
    def test_an_ordinary_transfer_scores_zero_and_is_low(self):
        assert score(inputs()) == scoring.Risk(score=0, level="low", reasons=())

    @pytest.mark.parametrize(
        ("values", "reason"),
        [
            ({"amount": 5_001}, "amount_unusual"),  # more than 5 x the 30-day average of 1,000
            ({"recent_count": 5}, "velocity"),  # half of the tier's 10 an hour
            ({"counterparty_seen": False}, "new_counterparty"),
            ({"cross_border": True}, "cross_border"),
            ({"holder_created_at": NOW - timedelta(days=6, hours=23)}, "new_account"),
            ({"kyc_changed_at": NOW - timedelta(days=1)}, "recent_kyc_change"),
            ({"sandbox_test": True}, "sandbox_test"),
        ],
    )
    def test_each_rule_adds_its_weight_and_its_reason(self, values, reason):
        risk = score(inputs(**values))
        assert risk.reasons == (reason,)
        assert risk.score == scoring.WEIGHTS[reason]

    @pytest.mark.parametrize(
        "values",
        [
            {"amount": 5_000},  # exactly 5 x the average
            {"amount": 10**9, "month_count": 2, "month_amount": 20},  # too little history to judge
            {"amount": 10**9, "month_count": None, "month_amount": None},  # no limits, so no buckets read
            {"recent_count": 4},
            {"recent_count": 100, "velocity_max": None},
            {"counterparty_seen": None},  # no counterparty (FX between own wallets)
            {"holder_created_at": NOW - timedelta(days=7)},
            {"kyc_changed_at": NOW - timedelta(days=7)},
        ],
    )
    def test_short_of_a_rule_nothing_is_added(self, values):
        assert score(inputs(**values)).reasons == ()

    def test_reasons_add_up_in_a_fixed_order_and_the_score_stops_at_100(self):
        risk = score(
            inputs(
                amount=10**6,
                recent_count=10,
                counterparty_seen=False,
                cross_border=True,
                holder_created_at=NOW,
                kyc_changed_at=NOW,
            )
        )
        assert risk.reasons == (
            "amount_unusual",
            "cross_border",
            "velocity",
            "new_counterparty",
            "new_account",
            "recent_kyc_change",
        )
        assert (risk.score, risk.level) == (100, "high")

    def test_the_soft_rules_together_stay_below_high(self):
        risk = score(inputs(recent_count=10, counterparty_seen=False, holder_created_at=NOW, kyc_changed_at=NOW))
        assert (risk.score, risk.level) == (55, "elevated")

    @pytest.mark.parametrize(
        ("value", "level"), [(0, "low"), (39, "low"), (40, "elevated"), (69, "elevated"), (70, "high"), (100, "high")]
    )
    def test_levels(self, value, level):
        assert level_for(value) == level

    def test_every_reason_has_a_weight_and_every_weight_a_reason(self):
        assert set(scoring.REASONS) == set(scoring.WEIGHTS)
