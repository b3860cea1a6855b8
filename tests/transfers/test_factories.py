"""Each factory of ``tests/transfers/factories.py`` makes valid rows; the ones that move money leave a book that
reconciles and transfers that keep every invariant ``transfer_problems`` checks."""

from decimal import Decimal

import pytest

from apps.transfers.fx import fx_price
from apps.transfers.limits import limit_rule_for
from apps.transfers.models import FxQuote, Transfer, TransferReversal, TransferUsage
from tests.helpers import assert_book_balanced, balances
from tests.transfers.factories import (
    FxQuoteFactory,
    FxRateFactory,
    LimitRuleFactory,
    TransferFactory,
    TransferReversalFactory,
    TransferStatusChangeFactory,
    TransferUsageFactory,
    transfer_problems,
)

pytestmark = pytest.mark.django_db


class TestReferenceTableFactories:
    def test_an_fx_rate_is_what_the_next_price_uses(self):
        FxRateFactory(base_currency="USD", quote_currency="SEK", rate="10.5", fee_bps=100)

        price = fx_price(source_currency="USD", destination_currency="SEK", source_amount=10_000)

        assert Decimal(price.rate) == Decimal("10.5")
        assert (price.fee_amount, price.destination_amount) == (100, 103_950)

    def test_a_limit_rule_is_what_the_next_check_reads(self):
        LimitRuleFactory(kyc_tier="full", currency="SEK", per_transfer_max=123_000)

        rule = limit_rule_for(kyc_tier="full", currency="SEK")

        assert rule is not None and rule.per_transfer_max == 123_000


class TestTransfersFactories:
    def test_an_fx_quote_is_priced_from_the_seeded_rate_and_unused(self):
        quote = FxQuoteFactory()

        stored = FxQuote.objects.get(pk=quote.pk)
        assert (stored.source_currency, stored.destination_currency, stored.source_amount) == ("USD", "EUR", 10_000)
        assert 0 < stored.fee_amount < stored.source_amount and stored.destination_amount > 0
        assert stored.used_at is None and stored.expires_at > stored.created_at

    def test_a_transfer_succeeds_and_moves_its_amount_through_the_ledger(self):
        transfer = TransferFactory(amount=1_500)

        stored = Transfer.objects.get(pk=transfer.pk)
        assert (stored.type, stored.status, stored.amount, stored.currency) == ("p2p", "succeeded", 1_500, "USD")
        assert balances(stored.source_wallet) == (8_500, 8_500)
        assert balances(stored.destination_wallet) == (1_500, 1_500)
        assert (
            stored.source_wallet.holder.partner_id == stored.destination_wallet.holder.partner_id == stored.partner_id
        )
        assert transfer_problems(transfer_pks=[stored.pk]) == []
        assert_book_balanced()

    def test_a_status_change_is_the_last_step_of_a_transfers_history(self):
        change = TransferStatusChangeFactory()

        assert (change.previous_status, change.status) == ("pending", "succeeded")
        assert change.transfer.status == "succeeded"

    def test_a_reversal_sends_the_whole_amount_back_by_default(self):
        reversal = TransferReversalFactory()

        stored = TransferReversal.objects.get(pk=reversal.pk)
        transfer = Transfer.objects.get(pk=stored.transfer_id)
        assert (transfer.status, transfer.amount_reversed, stored.amount) == ("reversed", 1_000, 1_000)
        assert stored.journal.reverses_id == transfer.journal_id
        assert balances(transfer.source_wallet) == (10_000, 10_000)
        assert transfer_problems(transfer_pks=[transfer.pk]) == []
        assert_book_balanced()

    def test_a_partial_reversal_leaves_the_transfer_succeeded(self):
        reversal = TransferReversalFactory(amount=400)

        transfer = Transfer.objects.get(pk=reversal.transfer_id)
        assert (transfer.status, transfer.amount_reversed) == ("succeeded", 400)
        assert transfer_problems(transfer_pks=[transfer.pk]) == []
        assert_book_balanced()

    def test_a_transfers_usage_is_its_amount_once_in_its_hour_and_its_day(self):
        hour = TransferUsageFactory(transfer__amount=1_500)
        day = TransferUsage.objects.get(holder=hour.holder, span="day")

        assert (hour.currency, hour.amount, hour.count) == ("USD", 1_500, 1)
        assert (day.amount, day.count, day.period_start) == (1_500, 1, hour.period_start.replace(hour=0))
        assert hour.period_start.minute == hour.period_start.second == hour.period_start.microsecond == 0
