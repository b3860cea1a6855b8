"""The schema tells the truth about what every operation may answer and accept (apps/core/openapi_contract.py):
the findings of schemathesis against the committed schema (`make fuzz`), each pinned here."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from apps.core.idempotency import _VALID_KEY
from tests.helpers import assert_problem

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_documents_400_429_and_503_as_problem_details(schema):
    for path, method, operation in operations(schema):
        for status in ("400", "429", "503"):
            response = operation["responses"].get(status)
            assert response is not None, f"{method.upper()} {path} does not document {status}"
            assert PROBLEM in response["content"], f"{method.upper()} {path} {status}"


def test_every_operation_that_checks_a_credential_documents_401_and_403(schema):
    checked = [(path, method, op) for path, method, op in operations(schema) if op.get("security") != [{}]]
    assert len(checked) > 40
    for path, method, operation in checked:
        if operation["operationId"] == "api_root":
            continue
        for status in ("401", "403"):
            assert PROBLEM in operation["responses"][status]["content"], f"{method.upper()} {path} {status}"


def test_the_api_root_needs_no_credential_and_does_not_claim_401(schema):
    (root,) = [op for _, _, op in operations(schema) if op["operationId"] == "api_root"]

    assert "401" not in root["responses"]


def test_every_operation_with_an_id_in_its_path_documents_404(schema):
    with_ids = [(path, method, op) for path, method, op in operations(schema) if "{" in path]
    assert len(with_ids) > 20
    for path, method, operation in with_ids:
        assert PROBLEM in operation["responses"]["404"]["content"], f"{method.upper()} {path}"


def test_every_operation_taking_an_idempotency_key_documents_409_and_422(schema):
    keyed = [
        (path, method, op)
        for path, method, op in operations(schema)
        if any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in op.get("parameters", []))
    ]
    assert {op["operationId"] for _, _, op in keyed} >= {
        "transfer_create",
        "webhook_endpoint_create",
        "funding_source_create",
        "webhook_endpoint_replay",
    }
    for path, method, operation in keyed:
        for status in ("409", "422"):
            assert status in operation["responses"], f"{method.upper()} {path} {status}"


def test_the_idempotency_key_pattern_is_the_one_the_server_enforces(schema):
    keyed = [
        p
        for _, _, op in operations(schema)
        for p in op.get("parameters", [])
        if p["in"] == "header" and p["name"] == "Idempotency-Key"
    ]
    assert keyed
    for parameter in keyed:
        pattern = re.compile(parameter["schema"]["pattern"])
        assert parameter["schema"]["maxLength"] == 255
        for key in ("a", "3f0c-uuid-like", "x" * 255, "!~", "", "a b", "é", "x" * 256, "tab\there"):
            assert bool(pattern.fullmatch(key)) == bool(_VALID_KEY.fullmatch(key)), key


def test_every_limit_parameter_says_1_to_100(schema):
    limits = [
        p
        for _, _, op in operations(schema)
        for p in op.get("parameters", [])
        if p["in"] == "query" and p["name"] == "limit"
    ]
    assert len(limits) >= 8
    for parameter in limits:
        assert (parameter["schema"]["minimum"], parameter["schema"]["maximum"]) == (1, 100)


def test_request_bodies_refuse_unknown_fields(schema):
    components = schema["components"]["schemas"]
    bodies = set()
    for _, _, operation in operations(schema):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            bodies.add(media["schema"]["$ref"].rsplit("/", 1)[-1])
    assert len(bodies) >= 15
    for name in bodies:
        assert components[name].get("additionalProperties") is False, name


@pytest.mark.parametrize(
    ("operation_id", "names"),
    [("transfer_list", {"from", "to"}), ("wallet_transaction_list", {"from", "to"})],
)
def test_time_filters_state_their_formats(schema, operation_id, names):
    (operation,) = [op for _, _, op in operations(schema) if op["operationId"] == operation_id]
    for parameter in operation["parameters"]:
        if parameter["name"] in names:
            formats = {branch.get("format") for branch in parameter["schema"]["anyOf"]}
            assert {"date-time", "date"} <= formats


def test_event_time_filters_state_rfc_3339_or_unix_seconds(schema):
    (operation,) = [op for _, _, op in operations(schema) if op["operationId"] == "event_list"]
    filters = [p for p in operation["parameters"] if p["name"].startswith("created[")]
    assert len(filters) == 4
    for parameter in filters:
        branches = parameter["schema"]["anyOf"]
        assert {"format": "date-time"} in branches
        assert any(branch.get("pattern") == "^[0-9]{1,10}$" for branch in branches)


@pytest.mark.django_db
class TestEventTimeFilters:
    @pytest.mark.parametrize("value", ["99999999999999999999", "²", "٣"])
    def test_a_time_no_datetime_can_hold_or_a_non_ascii_digit_is_a_400_not_a_500(self, sandbox_client, value):
        body = assert_problem(sandbox_client.get("/v1/events", {"created[gt]": value}), 400, "parameter_invalid")

        assert body["errors"][0]["field"] == "created[gt]"


def test_links_lead_from_what_creates_or_lists_an_object_to_what_takes_its_id(schema):
    links = {
        op["operationId"]: {
            target: link["parameters"] for r in op["responses"].values() for target, link in r.get("links", {}).items()
        }
        for _, _, op in operations(schema)
    }

    assert links["transfer_create"]["transfer_retrieve"] == {"transfer_id": "$response.body#/id"}
    assert {"transfer_cancel", "transfer_reversal_create", "sandbox_transfer_settle"} <= set(links["transfer_create"])
    assert links["webhook_endpoint_list"]["webhook_endpoint_rotate_secret"] == {
        "endpoint_id": "$response.body#/data/0/id"
    }
    assert links["funding_source_create"]["funding_source_retrieve"] == {
        "funding_source_id": "$response.body#/id",
        "holder_id": "$request.path.holder_id",
    }
    assert links["wallet_transaction_list"]["transaction_retrieve"] == {"transaction_id": "$response.body#/data/0/id"}


def test_an_amount_written_as_a_whole_number_with_a_fraction_part_is_that_integer():
    from apps.transfers.serializers import AmountField

    assert AmountField().run_validation(2500.0) == 2500
    for refused in (25.5, "2500", True):
        with pytest.raises(Exception, match="valid integer"):
            AmountField().run_validation(refused)


def test_rules_the_serializers_enforce_across_fields_are_in_the_schema(schema):
    bodies = schema["components"]["schemas"]

    transfer = bodies["TransferCreateInputRequest"]
    assert {branch["properties"]["type"]["const"] for branch in transfer["oneOf"]} == {"p2p", "top_up", "payout", "fx"}
    assert {"required": ["source_amount"]} in bodies["FxQuoteCreateInputRequest"]["oneOf"]
    # A not, not a oneOf of the two types: the SDKs keep one request model.
    funding_source = bodies["FundingSourceCreateInputRequest"]
    assert "oneOf" not in funding_source and len(funding_source["not"]["anyOf"]) == 3
    assert len(bodies["BankAccountInputRequest"]["not"]["anyOf"]) == 5
    assert bodies["FundingSourceReorderInputRequest"]["properties"]["order"]["uniqueItems"] is True
    clock = bodies["ClockAdvanceInputRequest"]["properties"]["seconds"]
    assert (clock["minimum"], clock["maximum"]) == (1, 31_536_000)
    assert bodies["DepositInputRequest"]["properties"]["amount"]["minimum"] == 1
    assert bodies["DepositInputRequest"]["properties"]["currency"]["allOf"] == [
        {"$ref": "#/components/schemas/CurrencyEnum"}
    ]
    assert "USD" in bodies["CurrencyEnum"]["enum"]
    events = bodies["EndpointCreateInputRequest"]["properties"]["enabled_events"]["anyOf"]
    assert events[0]["items"]["const"] == "*"
    assert "transfer.created" in events[1]["items"]["enum"]


def test_a_card_expiry_year_the_schema_allows_is_one_the_validator_allows(schema):
    from apps.wallets.validators import CARD_EXP_YEAR_MAX, CARD_EXP_YEAR_MIN

    year = schema["components"]["schemas"]["CardInputRequest"]["properties"]["exp_year"]
    assert (year["minimum"], year["maximum"]) == (CARD_EXP_YEAR_MIN, CARD_EXP_YEAR_MAX)


def test_text_fields_that_cannot_be_blank_say_they_need_a_non_space_character(schema):
    bodies = schema["components"]["schemas"]

    assert bodies["MerchantRequest"]["properties"]["name"]["pattern"] == "\\S"
    assert bodies["TransferCreateInputRequest"]["properties"]["source"]["pattern"] == "\\S"
    assert "pattern" not in bodies["TransferCreateInputRequest"]["properties"]["description"]  # may be blank


@pytest.mark.django_db
class TestWhitespaceOnly:
    def test_a_merchant_name_of_only_whitespace_is_refused_as_the_schema_says(self, sandbox_client):
        body = {
            "wallet": "wal_x",
            "amount": 100,
            "currency": "USD",
            "merchant": {"name": "\u0085 ", "category": "cash"},
        }

        problem = assert_problem(
            sandbox_client.post("/v1/sandbox/card_transactions", body, format="json"), 400, "parameter_invalid"
        )

        assert problem["errors"][0]["field"] == "merchant.name"

    def test_a_reorder_id_of_only_whitespace_is_an_unknown_id_not_a_blank_one(self, sandbox_client, partner):
        from tests.wallets.factories import make_holder

        holder = make_holder(partner=partner)
        url = f"/v1/wallet_holders/{holder.public_id}/funding_sources/reorder"

        problem = assert_problem(
            sandbox_client.post(url, {"order": ["\u0085"]}, format="json"), 404, "resource_missing"
        )

        assert problem["errors"][0]["field"] == "order"


def test_a_card_last4_says_four_digits_as_the_check_does(schema):
    pattern = re.compile(schema["components"]["schemas"]["CardInputRequest"]["properties"]["last4"]["pattern"])

    assert [bool(pattern.search(value)) for value in ("4242", " 4242 ", "0", "42424", "abcd")] == [
        True,
        True,
        False,
        False,
        False,
    ]


def test_a_reorder_documents_the_409_for_a_list_that_leaves_a_source_out(schema):
    reorder = schema["paths"]["/v1/wallet_holders/{holder_id}/funding_sources/reorder"]["post"]

    assert "409" in reorder["responses"]


def test_a_decimal_is_a_string_of_the_stated_pattern_or_an_integer_in_range(schema):
    from apps.offers.serializers import ProgrammeInput

    rate = schema["components"]["schemas"]["ProgrammeInputRequest"]["properties"]["rate"]
    assert rate["type"] == ["string", "integer"] and (rate["minimum"], rate["maximum"]) == (1, 10**12 - 1)
    for value in ("0.5", "12", "0.000001", 2):
        assert re.fullmatch(rate["pattern"], str(value))
        assert ProgrammeInput(data={"name": "Stars", "rate": value}).is_valid(), value
    for value in ("", "-1", "0", "0.0000001", ".5", "1.", "01", " 1", "1e2", 0.5, 0):
        assert not ProgrammeInput(data={"name": "Stars", "rate": value}).is_valid(), value


@pytest.mark.django_db
def test_a_number_where_the_schema_says_string_is_refused_not_turned_into_text(sandbox_client):
    response = sandbox_client.put("/v1/points/programme", {"name": 0, "rate": "0.5"}, format="json")

    problem = assert_problem(response, 400, "parameter_invalid")
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [("name", "invalid")]


@pytest.mark.django_db
@pytest.mark.parametrize("limit", ["", " ", "0", "101", "ten"])
def test_a_limit_that_is_not_an_integer_from_1_to_100_is_a_400_even_blank(sandbox_client, limit):
    problem = assert_problem(sandbox_client.get("/v1/events", {"limit": limit}), 400, "parameter_invalid")
    assert problem["errors"][0]["field"] == "limit"
