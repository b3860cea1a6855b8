"""Screening where it acts: a transfer whose holder or counterparty is a hit is held as ``compliance_hold``
with the hit recorded for staff only; a holder who is a hit is frozen at creation or when a new list loads;
the sandbox screens against its own test list, live against the official ones."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.events.models import Event
from apps.risk.models import ScreeningHit
from apps.risk.selectors import Party, matcher_for, parties_screen
from apps.wallets.models import WalletHolder
from apps.wallets.services import holder_create
from tests.helpers import post_transfer
from tests.transfers.factories import create_transfer, fresh_reference_tables
from tests.wallets.factories import add_bank_account, make_holder, make_wallet

DATA = Path(__file__).parent / "data"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tables(db):
    with fresh_reference_tables(seed=True):  # the seeded limits, and the sandbox's sanctions list
        yield


def load_ofac() -> str:
    out = StringIO()
    path = DATA / "ofac" / "sdn.csv"
    call_command("load_sanctions_list", str(path), "--format", "ofac-sdn-csv", "--list-date", "2026-12-01", stdout=out)
    return out.getvalue()


@pytest.fixture
def payer(partner):
    return make_wallet(holder=make_holder(partner=partner, name="Ada Lovelace", kyc_tier="full"), balance=10_000)


class TestTransfers:
    def test_a_p2p_to_a_misspelt_listed_name_is_held_and_the_hit_recorded(self, sandbox_client, partner, payer):
        listed = make_wallet(holder=make_holder(partner=partner, name="Sanctiond Persson", kyc_tier="full"))

        response = post_transfer(
            sandbox_client,
            {"type": "p2p", "source": payer.public_id, "destination": listed.public_id, "amount": 1, "currency": "USD"},
        )

        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["status"], body["review_reason"]) == ("held", "compliance_hold")
        hit = ScreeningHit.objects.get(transfer=body["id"])
        assert (hit.subject, hit.screened_name, hit.matched_name, hit.entry.uid) == (
            "counterparty",
            "Sanctiond Persson",
            "PERSON, Sanctioned",
            "9000001",
        )
        assert hit.score >= 85 and hit.reasons and hit.holder == listed.holder

    def test_partners_never_see_what_matched(self, sandbox_client, partner, payer):
        listed = make_wallet(holder=make_holder(partner=partner, name="Sanctioned Person", kyc_tier="full"))
        body = post_transfer(
            sandbox_client,
            {"type": "p2p", "source": payer.public_id, "destination": listed.public_id, "amount": 1, "currency": "USD"},
        ).json()
        detail = sandbox_client.get(f"/v1/transfers/{body['id']}").json()
        events = [event.data for event in Event.objects.filter(object_id=body["id"]).order_by("pk")]
        # (the transfer.created and transfer.held payloads)
        for document in (body, detail, events):
            # The transfer's own risk score (published rules, docs/risk.md) is the one score shown; no match's.
            text = json.dumps(_without_risk_scores(document)).lower()
            for secret in ("9000001", "PERSON, Sanctioned", "score", "sanction", "ofac", "screening"):
                assert secret.lower() not in text, (secret, text[:200])
        events = json.dumps(events)
        assert "compliance_hold" in events

    def test_the_paying_holders_own_name_is_screened(self, sandbox, partner):
        listed = make_holder(partner=partner, name="Ofac Testname", kyc_tier="full")
        source = make_wallet(holder=listed, balance=5_000)
        destination = make_wallet(holder=make_holder(partner=partner, name="Grace Hopper"))

        transfer = create_transfer(
            sandbox, type="p2p", source=source.public_id, destination=destination.public_id, amount=10, currency="USD"
        )

        assert (transfer.status, transfer.review_reason) == ("held", "compliance_hold")
        assert ScreeningHit.objects.get(transfer=transfer.public_id, subject="holder").holder == listed

    @pytest.mark.parametrize("kind", ["top_up", "payout"])
    def test_a_bank_account_holder_name_is_screened_for_top_ups_and_payouts(self, sandbox, partner, payer, kind):
        account = add_bank_account(holder=payer.holder, name="Blocked Entity Limited")
        parties = (
            {"source": account.public_id, "destination": payer.public_id}
            if kind == "top_up"
            else {"source": payer.public_id, "destination": account.public_id}
        )

        transfer = create_transfer(sandbox, type=kind, amount=100, currency="USD", **parties)

        assert (transfer.status, transfer.review_reason) == ("held", "compliance_hold")
        hit = ScreeningHit.objects.get(transfer=transfer.public_id)
        assert (hit.subject, hit.holder, hit.matched_name, hit.alias) == (
            "counterparty",
            None,
            "BLOCKED ENTITY LIMITED",
            True,
        )

    def test_a_name_that_is_not_listed_moves_money_and_records_nothing(self, sandbox, partner, payer):
        other = make_wallet(holder=make_holder(partner=partner, name="Grace Hopper"))

        transfer = create_transfer(
            sandbox, type="p2p", source=payer.public_id, destination=other.public_id, amount=10, currency="USD"
        )

        assert (transfer.status, transfer.review_reason) == ("succeeded", "")
        assert not ScreeningHit.objects.exists()

    def test_the_sandbox_does_not_screen_against_the_official_lists(self, sandbox, partner, payer):
        load_ofac()
        putin = make_wallet(holder=make_holder(partner=partner, name="Vladimir Putin"))

        transfer = create_transfer(
            sandbox, type="p2p", source=payer.public_id, destination=putin.public_id, amount=10, currency="USD"
        )

        assert transfer.status == "succeeded"

    def test_screening_on_the_transfer_path_reads_nothing_once_the_matcher_is_built(self, django_assert_num_queries):
        matcher_for(environment_kind="sandbox")
        with django_assert_num_queries(0):
            hits = parties_screen(
                environment_kind="sandbox",
                parties=[Party(name="Sanctioned Person", subject="counterparty"), Party(name="", subject="holder")],
            )
        assert [hit.match.entry.uid for hit in hits] == ["9000001"]


class TestHolders:
    def test_a_live_holder_who_is_a_hit_is_frozen_at_creation(self):
        load_ofac()

        holder = holder_create(environment="live", partner=None, name="Владимир Путин")

        assert holder.status == WalletHolder.Status.FROZEN
        hit = ScreeningHit.objects.get(holder=holder)
        assert (hit.subject, hit.entry.uid, hit.environment) == ("holder", "10001", "live")
        assert any("Cyrillic" in reason for reason in hit.reasons)

    def test_a_holder_who_is_not_a_hit_stays_active(self):
        load_ofac()

        assert holder_create(environment="live", partner=None, name="Emily Thornton").status == "active"
        assert not ScreeningHit.objects.exists()

    def test_a_sandbox_holder_is_screened_against_the_sandbox_list(self, partner):
        assert make_holder(partner=partner, name="Ofac Testname").status == "frozen"
        assert make_holder(partner=partner, name="Vladimir Putin").status == "active"

    def test_holders_are_screened_again_when_a_new_list_loads(self):
        before = holder_create(environment="live", partner=None, name="Bashar al-Assad")
        other = holder_create(environment="live", partner=None, name="Grace Hopper")
        assert before.status == "active"

        output = load_ofac()

        before.refresh_from_db()
        other.refresh_from_db()
        assert (before.status, other.status) == ("frozen", "active")
        assert "Re-screened the live holders: 1 frozen on a hit." in output
        assert ScreeningHit.objects.get(holder=before).entry.uid == "10005"
        # A second load does not screen a frozen holder again.
        assert "0 frozen" in load_ofac()
        assert ScreeningHit.objects.filter(holder=before).count() == 1


def _without_risk_scores(document):
    """``document`` with every transfer's ``risk.score`` left out."""
    if isinstance(document, list):
        return [_without_risk_scores(item) for item in document]
    if not isinstance(document, dict):
        return document
    return {
        key: {k: v for k, v in value.items() if k != "score"}
        if key == "risk" and isinstance(value, dict)
        else _without_risk_scores(value)
        for key, value in document.items()
    }
