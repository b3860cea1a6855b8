"""Nothing a partner receives tips a customer off (docs/risk.md, "What you are not told, and why"): no transfer
serializer has a field for screening or monitoring details, no event payload of any type carries one, and a held
or failed transfer names only the documented codes."""

import re
from typing import Any

import pytest
from rest_framework import serializers

from apps.core.serializers import OutputSerializer
from apps.events.models import Event
from apps.events.types import EVENT_TYPES
from apps.risk import scoring
from apps.transfers import serializers as transfer_serializers
from apps.transfers.lifecycle import transfer_review_reject
from apps.transfers.models import Transfer
from apps.transfers.scoring import SANDBOX_REVIEW_AMOUNT
from tests.core.factories import UserFactory
from tests.helpers import post_transfer
from tests.transfers.factories import fresh_reference_tables
from tests.wallets.factories import make_history, make_holder, make_wallet
from tests.webhooks.factories import WebhookEndpointFactory

pytestmark = pytest.mark.django_db

# Field names that would carry what screening or monitoring found: match scores, hits, lists and their entries,
# matched names, alerts and their kinds, cases and their evidence.
FORBIDDEN_FIELDS = re.compile(
    r"score|hit|screen|sanction|watchlist|list_name|entry|entries|matched|alias|alert|case|evidence|monitor|"
    r"programs|dedupe",
    re.IGNORECASE,
)
# Values that would: the sandbox test list's entry ids, listed names and list names, case ids, alert kinds.
FORBIDDEN_VALUES = re.compile(
    r"9000001|9000002|9000003|PERSON, Sanctioned|TESTNAME, Ofac|ofac_sdn|eu_consolidated|Sandbox test list|"
    r"\bcase_[A-Za-z0-9]{6,}|risk_review",
    re.IGNORECASE,
)
# The documented codes of a held or failed transfer (docs/transfers.md, docs/risk.md, docs/limits.md).
REVIEW_REASONS = {"review", "compliance_hold", "over_review_threshold", "new_counterparty"}
FAILURE_CODES = {
    "review_rejected",
    "funding_source_declined",
    "bank_account_closed",
    "insufficient_funds_at_bank",
    "bank_rejected",
    "insufficient_funds",
}


def field_names(serializer: Any, path: str = "") -> list[str]:
    """Every field path of ``serializer``, nested serializers and lists included."""
    if isinstance(serializer, serializers.ListSerializer):
        return field_names(serializer.child, path)
    if isinstance(serializer, serializers.ListField):
        return field_names(serializer.child, path)
    if not isinstance(serializer, serializers.Serializer):
        return []
    found = []
    for name, field in serializer.fields.items():
        found.append(f"{path}{name}")
        found += field_names(field, f"{path}{name}.")
    return found


def keys(value: Any, path: str = "") -> list[str]:
    """Every key path of a JSON document (metadata, which the partner writes, excepted)."""
    if isinstance(value, list):
        return [key for item in value for key in keys(item, path)]
    if not isinstance(value, dict):
        return []
    found = []
    for name, item in value.items():
        found.append(f"{path}{name}")
        if name != "metadata":
            found += keys(item, f"{path}{name}.")
    return found


def transfer_objects(value: Any) -> list[dict[str, Any]]:
    """Every transfer object inside a JSON document."""
    if isinstance(value, list):
        return [found for item in value for found in transfer_objects(item)]
    if not isinstance(value, dict):
        return []
    found = [value] if value.get("object") == "transfer" else []
    return found + [found_ for item in value.values() for found_ in transfer_objects(item)]


def forbidden(path: str) -> bool:
    """Whether a field path names a screening or monitoring finding. The transfer's own documented risk score
    (``risk.score``: the sum of the published rules' weights) is the one ``score`` a partner sees."""
    return (
        path != "risk.score"
        and not path.endswith(".risk.score")
        and bool(FORBIDDEN_FIELDS.search(path.rsplit(".", 1)[-1]))
    )


def assert_no_tipping_off(document: Any, where: str) -> None:
    bad = [key for key in keys(document) if forbidden(key)]
    assert not bad, (where, bad)
    for transfer in transfer_objects(document):
        assert not FORBIDDEN_VALUES.search(str(transfer)), (where, transfer)
        if transfer["status"] == "held":
            assert transfer["review_reason"] in REVIEW_REASONS, (where, transfer)
        if transfer["status"] == "failed":
            assert transfer["failure"]["code"] in FAILURE_CODES, (where, transfer)
        if transfer["review_reason"] is not None:
            assert transfer["review_reason"] in REVIEW_REASONS, (where, transfer)
        risk = transfer["risk"]
        assert risk is None or (
            set(risk) == {"score", "level", "reasons"}
            # the score is the published weights of the codes shown, nothing hidden added to it
            and risk["score"] == min(100, sum(scoring.WEIGHTS[reason] for reason in risk["reasons"]))
            and risk["level"] == scoring.level_for(risk["score"])
            and set(risk["reasons"]) <= set(scoring.REASONS)
        )


@pytest.fixture(autouse=True)
def _tables(db):
    with fresh_reference_tables(seed=True):  # the seeded limits, and the sandbox's sanctions list
        yield


class TestSerializers:
    def test_no_transfer_serializer_has_a_field_for_screening_or_monitoring(self):
        walked = [
            value
            for value in vars(transfer_serializers).values()
            if isinstance(value, type)
            and issubclass(value, OutputSerializer)
            # the risk object is walked where it is used (``risk.score``) and pinned field by field below
            and value not in (OutputSerializer, transfer_serializers.TransferRiskSerializer)
        ]
        assert transfer_serializers.TransferSerializer in walked
        assert transfer_serializers.TransferDetailSerializer in walked
        for serializer in walked:
            names = field_names(serializer())
            assert names, serializer
            bad = [name for name in names if forbidden(name)]
            assert not bad, (serializer.__name__, bad)

    def test_the_risk_field_is_the_score_its_level_and_generic_codes_only(self):
        assert field_names(transfer_serializers.TransferRiskSerializer()) == ["score", "level", "reasons"]


class TestPayloads:
    @pytest.fixture
    def held_and_failed(self, partner, sandbox_client):
        """A sanctions hold, a risk review hold and a rejected hold, through the API."""
        payer = make_wallet(holder=make_holder(partner=partner, name="Ada Lovelace", kyc_tier="full"), balance=90_000)
        listed = make_wallet(holder=make_holder(partner=partner, name="Sanctioned Person", kyc_tier="full"))
        payee = make_wallet(holder=make_holder(partner=partner, name="Grace Hopper", kyc_tier="full"))
        made = []
        for key, destination, amount in (
            ("sanctions", listed, 100),
            ("review", payee, SANDBOX_REVIEW_AMOUNT),
            ("rejected", listed, 200),
        ):
            body = {"type": "p2p", "source": payer.public_id, "destination": destination.public_id}
            response = post_transfer(sandbox_client, {**body, "amount": amount, "currency": "USD"}, key=key)
            assert response.status_code == 201, response.content
            made.append(response.json())
        assert [body["review_reason"] for body in made] == ["compliance_hold", "review", "compliance_hold"]
        transfer_review_reject(
            transfer_pk=Transfer.objects.get(public_id=made[2]["id"]).pk, staff_user=UserFactory(is_staff=True)
        )
        return made

    def test_held_and_failed_transfers_and_their_events_carry_only_documented_codes(
        self, sandbox_client, held_and_failed
    ):
        for body in held_and_failed:
            assert_no_tipping_off(body, "create response")
            assert_no_tipping_off(sandbox_client.get(f"/v1/transfers/{body['id']}").json(), "detail")
        assert_no_tipping_off(sandbox_client.get("/v1/transfers").json(), "list")
        events = list(Event.objects.order_by("pk"))
        assert {"transfer.held", "transfer.failed"} <= {event.type for event in events}
        for event in events:
            assert_no_tipping_off(event.data, event.type)
        feed = sandbox_client.get("/v1/events", {"limit": 100}).json()
        assert_no_tipping_off(feed, "/v1/events")

    def test_every_event_type_s_payload_carries_no_screening_or_monitoring_field(
        self, partner, sandbox, sandbox_client, held_and_failed
    ):
        wallet = make_wallet(holder=make_holder(partner=partner, name="Ada Lovelace"), balance=5000)
        make_history(wallet=wallet, count=2, amount=1250)
        WebhookEndpointFactory(environment=sandbox, url="http://127.0.0.1:4242/webhooks")
        for event_type in EVENT_TYPES:
            response = sandbox_client.post("/v1/sandbox/webhooks/fire", {"type": event_type}, format="json")
            assert response.status_code in (200, 201), (event_type, response.content)
            assert_no_tipping_off(response.json(), event_type)
