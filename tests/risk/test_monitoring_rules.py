"""Transaction monitoring rules over seeded history: each pattern found, and the near misses that are not."""

from datetime import timedelta

import pytest

from apps.risk.monitoring.detectors import DORMANT_REACTIVATED, MULE_PATTERN, RAPID_MOVEMENT, STRUCTURING
from tests.risk.monitoring import THRESHOLD, deposit, findings, kinds, pay, spend
from tests.wallets.factories import make_wallet

pytestmark = pytest.mark.django_db


class TestStructuring:
    def test_three_deposits_just_below_the_threshold_within_a_day_are_structuring(self, wallet, at):
        made = [
            deposit(wallet, 950_000, at=at, hours=20),
            deposit(wallet, 990_000, at=at, hours=9),
            deposit(wallet, 999_999, at=at, hours=0),
        ]

        [found] = findings(wallet, at=at)

        assert found.kind == STRUCTURING
        assert found.dedupe_key == f"structuring:{made[0].public_id}"
        assert found.evidence["transactions"] == [txn.public_id for txn in made]
        figures = found.evidence["figures"]
        assert figures["reporting_threshold"] == THRESHOLD and figures["band_from"] == 900_000
        assert figures["count"] == 3 and figures["total"] == 950_000 + 990_000 + 999_999
        assert "10000.00 USD reporting threshold" in found.summary

    def test_deposits_at_or_above_the_threshold_are_not_structuring(self, wallet, at):
        deposit(wallet, 950_000, at=at, hours=20)
        deposit(wallet, THRESHOLD, at=at, hours=9)
        deposit(wallet, 1_005_000, at=at, hours=1)

        assert STRUCTURING not in kinds(wallet, at=at)

    def test_deposits_well_below_the_threshold_are_not_structuring(self, wallet, at):
        for hours in (20, 10, 1):
            deposit(wallet, 899_999, at=at, hours=hours)

        assert STRUCTURING not in kinds(wallet, at=at)

    def test_the_same_deposits_spread_over_more_than_a_day_are_not_structuring(self, wallet, at):
        deposit(wallet, 950_000, at=at, hours=30)
        deposit(wallet, 950_000, at=at, hours=12)
        deposit(wallet, 950_000, at=at, hours=0)

        assert STRUCTURING not in kinds(wallet, at=at)
        # A day before, the first two were together but only two.
        assert STRUCTURING not in kinds(wallet, at=at - timedelta(hours=12))

    def test_two_deposits_are_not_several(self, wallet, at):
        deposit(wallet, 950_000, at=at, hours=5)
        deposit(wallet, 950_000, at=at, hours=1)

        assert kinds(wallet, at=at) == []

    def test_the_count_and_margin_come_from_the_settings(self, wallet, at, settings):
        deposit(wallet, 850_000, at=at, hours=5)
        deposit(wallet, 850_000, at=at, hours=1)
        settings.RISK_MONITORING = {"structuring": {"min_count": 2, "margin_percent": 20}}

        assert kinds(wallet, at=at) == [STRUCTURING]

    def test_a_currency_without_a_threshold_is_not_looked_at(self, at, holder_named):
        wallet = make_wallet(holder=holder_named(), currency="JPY")
        for hours in (3, 2, 1):
            deposit(wallet, 950_000, at=at, hours=hours)

        assert kinds(wallet, at=at) == []


class TestRapidMovement:
    def test_most_of_an_inflow_leaving_within_a_day_is_rapid_movement(self, wallet, at):
        inflow = deposit(wallet, 500_000, at=at, hours=20)
        out = [spend(wallet, 300_000, at=at, hours=10), spend(wallet, 120_000, at=at, hours=2, type="withdrawal")]

        [found] = findings(wallet, at=at)

        assert found.kind == RAPID_MOVEMENT
        assert found.dedupe_key == f"rapid_movement:{inflow.public_id}"
        assert found.evidence["transactions"] == [inflow.public_id, *(txn.public_id for txn in out)]
        assert found.evidence["figures"] == {
            "currency": "USD",
            "inflow": 500_000,
            "outflow_total": 420_000,
            "outflow_percent": 80,
            "window_hours": 24,
        }

    def test_less_than_most_of_it_leaving_is_not(self, wallet, at):
        deposit(wallet, 500_000, at=at, hours=20)
        spend(wallet, 390_000, at=at, hours=1)

        assert kinds(wallet, at=at) == []

    def test_money_leaving_more_than_a_day_after_the_inflow_is_not(self, wallet, at):
        deposit(wallet, 500_000, at=at, hours=30)
        spend(wallet, 450_000, at=at, hours=2)

        assert kinds(wallet, at=at) == []

    def test_money_that_left_before_the_inflow_does_not_count(self, wallet, at):
        deposit(wallet, 500_000, at=at, hours=60)
        spend(wallet, 450_000, at=at, hours=22)
        deposit(wallet, 500_000, at=at, hours=2)

        assert kinds(wallet, at=at) == []

    def test_a_small_inflow_is_not_looked_at(self, wallet, at):
        deposit(wallet, 99_999, at=at, hours=3)
        spend(wallet, 99_999, at=at, hours=1)

        assert kinds(wallet, at=at) == []

    def test_a_transfer_received_and_paid_on_is_rapid_movement(self, at, holder_named):
        payer = make_wallet(holder=holder_named("Pay Er"), balance=1_000_000)
        mule, onward = make_wallet(holder=holder_named("Mid Dle")), make_wallet(holder=holder_named("On Ward"))
        pay(payer, mule, 600_000, at=at, hours=5)
        pay(mule, onward, 590_000, at=at, hours=4)

        assert kinds(mule, at=at) == [RAPID_MOVEMENT]
        assert kinds(payer, at=at) == [] and kinds(onward, at=at) == []


class TestDormantReactivated:
    def test_a_movement_after_half_a_year_without_one_is_a_reactivation(self, wallet, at):
        old = deposit(wallet, 5_000, at=at, hours=24 * 200)
        first = deposit(wallet, 20_000, at=at, hours=3)

        [found] = findings(wallet, at=at)

        assert found.kind == DORMANT_REACTIVATED
        assert found.dedupe_key == f"dormant_reactivated:{first.public_id}"
        assert found.evidence["transactions"] == [old.public_id, first.public_id]
        assert found.evidence["figures"]["gap_days"] == 199 and found.evidence["figures"]["dormant_days"] == 180

    def test_a_shorter_quiet_spell_is_not(self, wallet, at):
        deposit(wallet, 5_000, at=at, hours=24 * 170)
        deposit(wallet, 20_000, at=at, hours=3)

        assert kinds(wallet, at=at) == []

    def test_a_new_holders_first_movement_is_not_a_reactivation(self, wallet, at):
        deposit(wallet, 20_000, at=at, hours=3)

        assert kinds(wallet, at=at) == []

    def test_any_of_the_holders_wallets_breaks_the_dormancy(self, wallet, at):
        euros = make_wallet(holder=wallet.holder, currency="EUR")
        deposit(wallet, 5_000, at=at, hours=24 * 400)
        deposit(euros, 5_000, at=at, hours=24 * 30)
        deposit(wallet, 20_000, at=at, hours=3)

        assert kinds(wallet, at=at) == []


class TestMulePattern:
    def test_small_deposits_from_five_senders_within_a_day_are_a_mule_pattern(self, wallet, at):
        made = [deposit(wallet, 4_000, at=at, hours=hours, sender=f"Sender {hours}") for hours in (20, 15, 9, 4, 1)]

        [found] = findings(wallet, at=at)

        assert found.kind == MULE_PATTERN
        assert found.dedupe_key == f"mule_pattern:{made[0].public_id}"
        assert found.evidence["transactions"] == [txn.public_id for txn in made]
        assert found.evidence["figures"]["senders"] == 5 and found.evidence["figures"]["total"] == 20_000

    def test_small_transfers_from_five_holders_are_a_mule_pattern(self, wallet, at, holder_named):
        for number in range(5):
            payer = make_wallet(holder=holder_named("Same Name"), balance=10_000)  # one name, five holders
            pay(payer, wallet, 5_000, at=at, hours=number + 1)

        assert kinds(wallet, at=at) == [MULE_PATTERN]

    def test_four_senders_are_not_many(self, wallet, at):
        for hours in (20, 15, 9, 4):
            deposit(wallet, 4_000, at=at, hours=hours, sender=f"Sender {hours}")

        assert kinds(wallet, at=at) == []

    def test_many_payments_from_one_sender_are_not_a_mule_pattern(self, wallet, at):
        for hours in (20, 15, 9, 4, 1):
            deposit(wallet, 4_000, at=at, hours=hours, sender="ACME  payroll" if hours % 2 else "Acme Payroll")

        assert kinds(wallet, at=at) == []

    def test_payments_above_the_small_amount_do_not_count(self, wallet, at):
        for hours in (20, 15, 9, 4, 1):
            deposit(wallet, 10_001, at=at, hours=hours, sender=f"Sender {hours}")

        assert kinds(wallet, at=at) == []

    def test_senders_spread_over_more_than_a_day_are_not(self, wallet, at):
        for hours in (40, 30, 9, 4, 1):
            deposit(wallet, 4_000, at=at, hours=hours, sender=f"Sender {hours}")

        assert kinds(wallet, at=at) == []
