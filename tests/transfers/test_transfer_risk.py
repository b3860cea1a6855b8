"""The risk score where it acts (docs/risk.md, "Risk score"): every new transfer carries its level and generic
reason codes, a score at or above ``RISK_REVIEW_SCORE`` holds it for review (``review``) through the usual review
flow, the sandbox's trigger amount does so deterministically, and the score costs the same statements however long
the holder's history. The rules themselves: tests/risk/test_scoring.py."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import clock
from apps.events.models import Event
from apps.risk.models import Alert, CounterpartySeen
from apps.transfers.lifecycle import transfer_review_release
from apps.transfers.models import Transfer
from apps.transfers.scoring import SANDBOX_REVIEW_AMOUNT
from apps.transfers.usage import usage_rebuild
from tests.core.factories import UserFactory
from tests.helpers import post_transfer
from tests.threads import run_threads
from tests.transfers.factories import raise_limits
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db


def p2p(client, source, destination, amount=100, *, key):
    body = {"type": "p2p", "source": source.public_id, "destination": destination.public_id, "amount": amount}
    response = post_transfer(client, {**body, "currency": source.currency}, key=key)
    assert response.status_code == 201, response.content
    return response.json()


class TestRiskOnTransfers:
    def test_a_transfer_shows_its_score_level_and_reasons(self, sandbox_client, usd, grace_usd):
        body = p2p(sandbox_client, usd, grace_usd, key="first")

        # Both holders were created just now, and Ada has never paid Grace.
        assert body["risk"] == {"score": 25, "level": "low", "reasons": ["new_counterparty", "new_account"]}
        assert body["status"] == "succeeded"
        transfer = Transfer.objects.get(public_id=body["id"])
        assert (transfer.risk_score, transfer.risk_level) == (25, "low")
        assert sandbox_client.get(f"/v1/transfers/{body['id']}").json()["risk"] == body["risk"]
        for event in Event.objects.filter(object_id=body["id"]):
            assert event.data["object"]["risk"] == body["risk"]

    def test_a_counterparty_paid_before_is_not_new(self, sandbox_client, usd, grace_usd):
        p2p(sandbox_client, usd, grace_usd, key="first")
        second = p2p(sandbox_client, usd, grace_usd, key="second")

        assert second["risk"]["reasons"] == ["new_account"]
        seen = CounterpartySeen.objects.get(holder=usd.holder)
        assert (seen.counterparty, seen.transfers) == (grace_usd.holder.public_id, 2)

    def test_an_amount_far_above_the_holders_own_average_is_unusual(self, sandbox_client, usd, grace_usd):
        for index in range(3):
            p2p(sandbox_client, usd, grace_usd, 100, key=f"usual-{index}")

        body = p2p(sandbox_client, usd, grace_usd, 501, key="unusual")

        assert body["risk"] == {"score": 50, "level": "elevated", "reasons": ["amount_unusual", "new_account"]}

    def test_a_payout_to_a_bank_abroad_is_cross_border(self, sandbox_client, usd, bank):
        body = {"type": "payout", "source": usd.public_id, "destination": bank.public_id, "amount": 100}
        response = post_transfer(sandbox_client, {**body, "currency": "USD"}, key="payout")

        # A UK bank account holding USD: the account's country does not use the wallet's currency.
        assert response.json()["risk"]["reasons"] == ["cross_border", "new_counterparty", "new_account"]

    def test_a_recent_kyc_change_counts(self, sandbox_client, usd, grace_usd):
        holder = usd.holder
        holder.kyc_changed_at = clock.now(environment=None) - timedelta(days=1)
        holder.save(update_fields=["kyc_changed_at"])

        body = p2p(sandbox_client, usd, grace_usd, key="after-kyc")

        assert "recent_kyc_change" in body["risk"]["reasons"]

    def test_an_fx_transfer_has_no_counterparty(self, ada, usd, eur):
        from apps.transfers.scoring import counterparty_of

        assert counterparty_of(Transfer(type="fx", holder=ada, source_wallet=usd, destination_wallet=eur)) is None


class TestReviewHold:
    def test_a_score_at_the_threshold_holds_the_transfer_for_review(self, settings, sandbox_client, usd, grace_usd):
        settings.RISK_REVIEW_SCORE = 25

        body = p2p(sandbox_client, usd, grace_usd, key="held")

        assert (body["status"], body["review_reason"]) == ("held", "review")
        events = list(Event.objects.filter(object_id=body["id"]).order_by("pk").values_list("type", flat=True))
        assert events == ["transfer.created", "transfer.held"]
        held = Event.objects.get(object_id=body["id"], type="transfer.held").data["object"]
        assert (held["review_reason"], held["risk"]) == ("review", body["risk"])

    def test_a_review_hold_raises_a_risk_review_alert_on_the_holders_case(
        self, settings, sandbox_client, usd, grace_usd
    ):
        settings.RISK_REVIEW_SCORE = 25

        body = p2p(sandbox_client, usd, grace_usd, key="held")

        alert = Alert.objects.select_related("case").get(kind="risk_review")
        assert alert.case.holder == usd.holder and alert.case.is_open
        assert alert.evidence == {"transfers": [body["id"]], "reasons": ["new_counterparty", "new_account"]}
        assert alert.dedupe_key == f"risk_review:{body['id']}"

    def test_a_transfer_that_is_not_held_raises_no_alert(self, sandbox_client, usd, grace_usd):
        p2p(sandbox_client, usd, grace_usd, key="not-held")

        assert not Alert.objects.exists()

    def test_below_the_threshold_it_goes_through(self, settings, sandbox_client, usd, grace_usd):
        settings.RISK_REVIEW_SCORE = 26

        assert p2p(sandbox_client, usd, grace_usd, key="not-held")["status"] == "succeeded"

    def test_staff_release_a_review_hold_like_any_other(self, settings, sandbox_client, usd, grace_usd):
        settings.RISK_REVIEW_SCORE = 25
        body = p2p(sandbox_client, usd, grace_usd, key="held")

        released = transfer_review_release(
            transfer_pk=Transfer.objects.get(public_id=body["id"]).pk, staff_user=UserFactory(is_staff=True)
        )

        assert released.status == "succeeded"

    def test_the_sandbox_trigger_amount_holds_for_review(self, sandbox_client, usd, grace_usd):
        body = p2p(sandbox_client, usd, grace_usd, SANDBOX_REVIEW_AMOUNT, key="trigger")

        assert (body["status"], body["review_reason"]) == ("held", "review")
        assert body["risk"]["level"] == "high"
        assert "sandbox_test" in body["risk"]["reasons"]

    def test_a_sanctions_hold_keeps_its_code_and_the_score_adds_nothing_about_it(self, sandbox_client, partner, usd):
        listed = make_wallet(holder=make_holder(partner=partner, name="Sanctioned Person"))

        body = p2p(sandbox_client, usd, listed, SANDBOX_REVIEW_AMOUNT, key="both")

        assert body["review_reason"] == "compliance_hold"
        assert set(body["risk"]["reasons"]) <= {"new_counterparty", "new_account", "sandbox_test"}


def _history(source, destinations, *, transfers: int):
    """``transfers`` succeeded p2p transfers of ``source`` over the last 60 days to ``destinations`` in turn, their
    usage buckets and counterparties as the service would have left them."""
    holder = source.holder
    now = clock.now(environment=None)
    Transfer.objects.bulk_create(
        Transfer(
            partner=holder.partner,
            environment=holder.partner.environments.get(kind="sandbox"),
            type="p2p",
            status="succeeded",
            holder=holder,
            source_wallet=source,
            destination_wallet=destinations[index % len(destinations)],
            amount=100,
            currency=source.currency,
            initiated_at=now - timedelta(hours=1 + index * 60 * 24 // transfers),
        )
        for index in range(transfers)
    )
    usage_rebuild(holder_ids=[holder.pk])
    CounterpartySeen.objects.bulk_create(
        CounterpartySeen(holder=holder, counterparty=f"ph_{index:020d}", first_seen_at=now, transfers=3)
        for index in range(transfers)
    )


@pytest.mark.django_db(transaction=True)
class TestBoundedTime:
    """Scoring reads no more as history grows: a holder with hundreds of transfers, buckets and counterparties
    makes exactly the statements a fresh one does (on both databases)."""

    def _statements(self, client, source, destination, key):
        with CaptureQueriesContext(connection) as captured:
            p2p(client, source, destination, key=key)
        return [query["sql"] for query in captured.captured_queries if '"partners_requestlog"' not in query["sql"]]

    def test_a_long_history_costs_the_same_statements_as_none(self, sandbox_client, partner):
        raise_limits(kyc_tier="basic", currencies=("USD",))
        payee = make_wallet(holder=make_holder(partner=partner, name="Grace Hopper"))
        others = [make_wallet(holder=make_holder(partner=partner, name=f"Payee {n}")) for n in range(5)]
        veteran = make_wallet(holder=make_holder(partner=partner, name="Vera Veteran"), balance=100_000)
        fresh = make_wallet(holder=make_holder(partner=partner, name="Fred Fresh"), balance=100_000)
        _history(veteran, others, transfers=600)
        for wallet in (veteran, fresh):  # warm the compiled statements and the caches
            p2p(sandbox_client, wallet, others[0], key=f"warm-{wallet.public_id}")

        long = self._statements(sandbox_client, veteran, payee, "long")
        short = self._statements(sandbox_client, fresh, payee, "short")

        assert len(long) == len(short)
        assert [sql.split(None, 1)[0] for sql in long] == [sql.split(None, 1)[0] for sql in short]
        # Whether the counterparty is new rides in the limits' read of the buckets: no statement of its own.
        reads = [sql for sql in long if sql.startswith("SELECT") and '"risk_counterpartyseen"' in sql]
        assert len(reads) == 1 and "transfers_transferusage" in reads[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestCounterpartyConcurrency:
    def test_first_payments_to_one_counterparty_from_two_wallets_at_once_count_every_transfer(self, partner):
        """The holder's USD and EUR wallets lock separately, so two first payments to one counterparty race on
        its row: the upsert lets both in, with no unique violation and no lost count."""
        from apps.transfers.services import TransferRequest, transfer_create
        from tests.transfers.factories import api_key_principal

        raise_limits(kyc_tier="basic", currencies=("USD", "EUR"))
        ada = make_holder(partner=partner, name="Ada Lovelace")
        grace = make_holder(partner=partner, name="Grace Hopper")
        pairs = {
            currency: (
                make_wallet(holder=ada, currency=currency, balance=100_000),
                make_wallet(holder=grace, currency=currency),
            )
            for currency in ("USD", "EUR")
        }
        principal = api_key_principal(environment=partner.environments.get(kind="sandbox"))
        rounds = 10

        def pay(currency):
            source, destination = pairs[currency]

            def run():
                for _ in range(rounds):
                    transfer_create(
                        principal=principal,
                        request=TransferRequest(
                            type="p2p",
                            source=source.public_id,
                            destination=destination.public_id,
                            amount=100,
                            currency=currency,
                        ),
                    )

            return run

        raised = run_threads({currency: pay(currency) for currency in pairs})

        assert raised == {}
        seen = CounterpartySeen.objects.get(holder=ada, counterparty=grace.public_id)
        assert seen.transfers == 2 * rounds
        assert Transfer.objects.filter(holder=ada, risk_reasons__contains=["new_counterparty"]).count() >= 1
