"""``/v1/wallet_holders/{id}/funding_sources``: shapes, masking, tenancy, scopes, idempotency, bad input and
card numbers that must never be stored."""

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIRequestFactory, force_authenticate

from apps.core.models import IdempotencyKey
from apps.partners.models import RequestLog
from apps.partners.services import api_key_create
from apps.wallets.apis.funding_sources import FundingSourceDetailApi, FundingSourceListCreateApi
from apps.wallets.funding_sources import funding_source_remove
from apps.wallets.models import FundingSource
from tests.helpers import assert_problem
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory
from tests.wallets.factories import add_bank_account, add_card, make_holder, oauth_principal

pytestmark = pytest.mark.django_db

PAN = "4242424242424242"
UK = {
    "type": "bank_account",
    "bank_account": {"account_holder_name": "Ada Lovelace", "sort_code": "12-34-56", "account_number": "12345678"},
}
IBAN = {
    "type": "bank_account",
    "bank_account": {"account_holder_name": "Ada Lovelace", "iban": "DE89 3704 0044 0532 0130 00"},
}
CARD = {"type": "card", "card": {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030}}


def url(holder, *rest: str) -> str:
    return "/".join([f"/v1/wallet_holders/{holder.public_id}/funding_sources", *rest])


def add_uk(holder, number="12345678"):
    """A UK bank account with no currency of its own."""
    return add_bank_account(holder=holder, account_number=number, currency="")


def stored_text() -> str:
    """Every text column of every row that could hold a request's content: funding sources, idempotency
    records and request logs."""
    chunks = []
    for model in (FundingSource, IdempotencyKey, RequestLog):
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        names += [f.name for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        for row in model.objects.values_list(*names):
            chunks.extend(str(value) for value in row)
    return "\n".join(chunks)


class TestFundingSourceCreate:
    def test_a_uk_bank_account_is_added_and_shown_masked(self, sandbox_client, holder):
        response = sandbox_client.post(url(holder), UK, format="json")

        assert response.status_code == 201, response.content
        body = response.json()
        source = FundingSource.objects.get()
        assert body == {
            "id": source.public_id,
            "object": "funding_source",
            "environment": "sandbox",
            "holder": holder.public_id,
            "type": "bank_account",
            "position": 1,
            "status": "active",
            "bank_account": {
                "account_holder_name": "Ada Lovelace",
                "bank_country": "GB",
                "last4": "5678",
                "masked": "••••5678",
                "currency": "GBP",
            },
            "card": None,
            "created_at": body["created_at"],
        }
        assert body["created_at"].endswith("Z")
        assert "12345678" not in response.content.decode()
        assert source.account_encrypted not in response.content.decode()

    def test_an_iban_account_is_added_after_the_existing_sources(self, sandbox_client, holder):
        add_card(holder=holder)

        response = sandbox_client.post(url(holder), IBAN, format="json")

        assert response.status_code == 201
        body = response.json()
        assert body["position"] == 2
        assert body["bank_account"]["bank_country"] == "DE"
        assert body["bank_account"]["masked"] == "••••3000"
        assert body["bank_account"]["currency"] == "EUR"
        assert "370400440532013000" not in response.content.decode()

    def test_a_card_is_added(self, sandbox_client, holder):
        response = sandbox_client.post(url(holder), CARD, format="json")

        assert response.status_code == 201
        body = response.json()
        assert body["type"] == "card" and body["bank_account"] is None
        assert body["card"] == {
            "brand": "visa",
            "last4": "4242",
            "exp_month": 12,
            "exp_year": 2030,
            "holder_name": None,
        }

    def test_the_same_idempotency_key_and_body_replays_the_first_response(self, sandbox_client, holder):
        first = sandbox_client.post(url(holder), UK, format="json", HTTP_IDEMPOTENCY_KEY="fs-1")
        second = sandbox_client.post(url(holder), UK, format="json", HTTP_IDEMPOTENCY_KEY="fs-1")

        assert first.status_code == second.status_code == 201
        assert second.json() == first.json()
        assert second["Idempotent-Replayed"] == "true"
        assert FundingSource.objects.count() == 1

    def test_the_same_idempotency_key_with_another_body_is_refused(self, sandbox_client, holder):
        sandbox_client.post(url(holder), UK, format="json", HTTP_IDEMPOTENCY_KEY="fs-1")

        response = sandbox_client.post(url(holder), CARD, format="json", HTTP_IDEMPOTENCY_KEY="fs-1")

        assert_problem(response, 422, "idempotency_key_reused")
        assert FundingSource.objects.count() == 1

    def test_a_refused_request_releases_its_idempotency_key(self, sandbox_client, holder):
        bad = {**CARD, "card": {**CARD["card"], "exp_year": 2020}}
        assert sandbox_client.post(url(holder), bad, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 422

        assert sandbox_client.post(url(holder), bad, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 422
        assert not IdempotencyKey.objects.exists()


class TestFundingSourceCreateBadInput:
    @pytest.mark.parametrize(
        ("body", "code", "errors"),
        [
            (
                {"type": "bank_account", "bank_account": {"account_holder_name": "Ada", "iban": "GB82-WEST-1234"}},
                "parameter_invalid",
                [("bank_account.iban", "parameter_invalid")],
            ),
            (
                {
                    "type": "bank_account",
                    "bank_account": {"account_holder_name": "Ada", "sort_code": "12-34", "account_number": "1234"},
                },
                "parameter_invalid",
                [
                    ("bank_account.sort_code", "sort_code_invalid"),
                    ("bank_account.account_number", "account_number_invalid"),
                ],
            ),
            (
                {"type": "bank_account", "bank_account": {"iban": "GB82WEST12345698765432"}},
                "parameter_missing",
                [("bank_account.account_holder_name", "parameter_missing")],
            ),
            (
                {"type": "card", "card": {**CARD["card"], "exp_month": 13}},
                "parameter_invalid",
                [("card.exp_month", "max_value")],
            ),
            (
                {"type": "card", "card": {**CARD["card"], "brand": "diners"}},
                "parameter_invalid",
                [("card.brand", "invalid_choice")],
            ),
            ({"type": "card"}, "parameter_missing", [("card", "parameter_missing")]),
            (
                {"type": "card", **CARD, "bank_account": UK["bank_account"]},
                "parameter_invalid",
                [("bank_account", "parameter_invalid")],
            ),
            ({"type": "cheque"}, "parameter_invalid", [("type", "invalid_choice")]),
            ({**CARD, "colour": "blue"}, "parameter_unknown", [("colour", "parameter_unknown")]),
            (
                {"type": "bank_account", "bank_account": {**UK["bank_account"], "currency": "XPT"}},
                "parameter_invalid",
                [("bank_account.currency", "currency_unsupported")],
            ),
        ],
        ids=["iban", "uk", "no-name", "month", "brand", "no-card", "both", "type", "unknown", "points"],
    )
    def test_bad_input_is_a_400_with_field_errors_and_writes_nothing(self, sandbox_client, holder, body, code, errors):
        response = sandbox_client.post(url(holder), body, format="json", HTTP_IDEMPOTENCY_KEY="bad-1")

        problem = assert_problem(response, 400, code)
        assert [(e["field"], e["code"]) for e in problem["errors"]] == errors
        assert not FundingSource.objects.exists()
        assert not IdempotencyKey.objects.exists()

    def test_an_iban_of_the_right_shape_with_wrong_check_digits_is_a_422_and_writes_nothing(
        self, sandbox_client, holder
    ):
        body = {
            "type": "bank_account",
            "bank_account": {"account_holder_name": "Ada", "iban": "GB82WEST12345698765433"},
        }

        response = sandbox_client.post(url(holder), body, format="json", HTTP_IDEMPOTENCY_KEY="bad-1")

        problem = assert_problem(response, 422, "iban_invalid")
        assert [(e["field"], e["code"]) for e in problem["errors"]] == [("bank_account.iban", "iban_invalid")]
        assert not FundingSource.objects.exists()
        assert not IdempotencyKey.objects.exists()

    def test_wrong_check_digits_beside_a_malformed_field_are_listed_in_its_400(self, sandbox_client, holder):
        account = {"account_holder_name": "Ada", "iban": "GB82WEST12345698765433", "currency": "XPT"}

        response = sandbox_client.post(url(holder), {"type": "bank_account", "bank_account": account}, format="json")

        problem = assert_problem(response, 400, "parameter_invalid")
        assert [(e["field"], e["code"]) for e in problem["errors"]] == [
            ("bank_account.iban", "iban_invalid"),
            ("bank_account.currency", "currency_unsupported"),
        ]

    @pytest.mark.parametrize(
        "account",
        [
            {"account_holder_name": 7, "iban": "GB82WEST12345698765432"},
            {"account_holder_name": "Ada", "sort_code": 123456, "account_number": "12345678"},
        ],
        ids=["number-as-name", "number-as-sort-code"],
    )
    def test_a_number_where_the_schema_says_string_is_refused_not_turned_into_text(
        self, sandbox_client, holder, account
    ):
        response = sandbox_client.post(url(holder), {"type": "bank_account", "bank_account": account}, format="json")

        problem = assert_problem(response, 400, "parameter_invalid")
        assert [e["code"] for e in problem["errors"]] == ["invalid"]
        assert not FundingSource.objects.exists()

    def test_an_expired_card_is_a_422_card_expired_and_writes_nothing(self, sandbox_client, holder):
        body = {"type": "card", "card": {**CARD["card"], "exp_year": 2024}}

        response = sandbox_client.post(url(holder), body, format="json", HTTP_IDEMPOTENCY_KEY="bad-1")

        problem = assert_problem(response, 422, "card_expired")
        assert [(e["field"], e["code"]) for e in problem["errors"]] == [("card.exp_year", "card_expired")]
        assert not FundingSource.objects.exists()
        assert not IdempotencyKey.objects.exists()

    def test_a_card_number_field_is_refused_as_unknown_and_stored_nowhere(self, sandbox_client, holder):
        body = {"type": "card", "card": {**CARD["card"], "number": PAN}}

        response = sandbox_client.post(url(holder), body, format="json", HTTP_IDEMPOTENCY_KEY="pan-1")

        problem = assert_problem(response, 400, "parameter_unknown")
        assert [(e["field"], e["code"]) for e in problem["errors"]] == [("card.number", "parameter_unknown")]
        assert PAN not in response.content.decode()
        assert not FundingSource.objects.exists()
        assert RequestLog.objects.exists()  # the request was logged, redacted
        assert PAN not in stored_text()

    @pytest.mark.parametrize("pan", [PAN, "4242 4242 4242 4242", "378282246310005"])
    def test_a_card_number_in_last4_is_refused_and_stored_nowhere(self, sandbox_client, holder, pan):
        add_card(holder=holder, last4="1111")
        body = {"type": "card", "card": {**CARD["card"], "last4": pan}}

        response = sandbox_client.post(url(holder), body, format="json", HTTP_IDEMPOTENCY_KEY="pan-2")

        problem = assert_problem(response, 400, "parameter_invalid")
        assert [(e["field"], e["code"]) for e in problem["errors"]] == [("card.last4", "card_number_refused")]
        digits = pan.replace(" ", "")
        assert digits not in response.content.decode() and pan not in response.content.decode()
        assert FundingSource.objects.count() == 1
        assert RequestLog.objects.exists()
        assert digits not in stored_text().replace(" ", "")

    def test_a_card_number_as_the_type_is_not_repeated_in_the_error(self, sandbox_client, holder):
        response = sandbox_client.post(url(holder), {"type": PAN}, format="json")

        assert_problem(response, 400, "parameter_invalid")
        assert PAN not in response.content.decode()

    def test_a_card_number_as_the_brand_is_not_repeated_in_the_error(self, sandbox_client, holder):
        body = {"type": "card", "card": {**CARD["card"], "brand": PAN}}

        response = sandbox_client.post(url(holder), body, format="json")

        assert_problem(response, 400, "parameter_invalid")
        assert PAN not in response.content.decode()


class TestFundingSourceList:
    def test_active_sources_are_listed_in_order_masked_without_the_encrypted_details(self, sandbox_client, holder):
        first, second, third = add_uk(holder), add_card(holder=holder), add_uk(holder, number="87654321")
        funding_source_remove(funding_source=second)

        response = sandbox_client.get(url(holder))

        assert response.status_code == 200
        body = response.json()
        assert body["object"] == "list" and body["has_more"] is False and body["next_cursor"] is None
        assert [(s["id"], s["position"]) for s in body["data"]] == [(first.public_id, 1), (third.public_id, 2)]
        assert [s["bank_account"]["masked"] for s in body["data"]] == ["••••5678", "••••4321"]
        text = response.content.decode()
        assert "account_encrypted" not in text
        assert first.account_encrypted not in text and "12345678" not in text and "87654321" not in text

    def test_the_list_takes_the_same_number_of_queries_for_one_or_many_sources(
        self, sandbox_client, holder, django_assert_num_queries
    ):
        add_uk(holder)
        sandbox_client.get(url(holder))  # warm the key cache

        with CaptureQueriesContext(connection) as one:
            sandbox_client.get(url(holder))
        for _ in range(5):
            add_card(holder=holder)
        with django_assert_num_queries(len(one.captured_queries)):
            response = sandbox_client.get(url(holder))
        assert len(response.json()["data"]) == 6

    def test_an_empty_list(self, sandbox_client, holder):
        assert sandbox_client.get(url(holder)).json()["data"] == []

    def test_a_source_is_retrieved_by_id(self, sandbox_client, holder):
        source = add_card(holder=holder)

        response = sandbox_client.get(url(holder, source.public_id))

        assert response.status_code == 200
        assert response.json()["id"] == source.public_id


class TestFundingSourceDelete:
    def test_deleting_removes_the_source_from_the_order_and_returns_it(self, sandbox_client, holder):
        first, second = add_uk(holder), add_card(holder=holder)

        response = sandbox_client.delete(url(holder, first.public_id))

        assert response.status_code == 200
        assert (response.json()["status"], response.json()["position"]) == ("removed", 0)
        listed = sandbox_client.get(url(holder)).json()["data"]
        assert [(s["id"], s["position"]) for s in listed] == [(second.public_id, 1)]
        assert FundingSource.objects.filter(pk=first.pk, status="removed").exists()

    def test_deleting_twice_is_a_404(self, sandbox_client, holder):
        source = add_card(holder=holder)
        sandbox_client.delete(url(holder, source.public_id))

        assert_problem(sandbox_client.delete(url(holder, source.public_id)), 404, "resource_missing")


class TestFundingSourceReorder:
    def test_a_permutation_reorders_and_returns_the_new_list(self, sandbox_client, holder):
        first, second, third = add_uk(holder), add_card(holder=holder), add_card(holder=holder, last4="1111")
        order = [third.public_id, first.public_id, second.public_id]

        response = sandbox_client.post(url(holder, "reorder"), {"order": order}, format="json")

        assert response.status_code == 200, response.content
        assert [(s["id"], s["position"]) for s in response.json()["data"]] == [(i, n) for n, i in enumerate(order, 1)]
        assert [s["id"] for s in sandbox_client.get(url(holder)).json()["data"]] == order

    def test_anything_else_is_a_400_or_a_404_and_changes_nothing(self, sandbox_client, holder, partner):
        first, second = add_uk(holder), add_card(holder=holder)
        foreign = add_card(holder=make_holder(partner=partner, name="Grace"))

        response = sandbox_client.post(url(holder, "reorder"), {"order": [second.public_id] * 2}, format="json")
        problem = assert_problem(response, 400, "parameter_invalid")
        assert [(e["field"], e["code"]) for e in problem["errors"]] == [("order", "order_invalid")]
        response = sandbox_client.post(url(holder, "reorder"), {"order": [first.public_id]}, format="json")
        problem = assert_problem(response, 409, "order_incomplete")
        assert [(e["field"], e["code"]) for e in problem["errors"]] == [("order", "order_incomplete")]
        response = sandbox_client.post(
            url(holder, "reorder"), {"order": [first.public_id, foreign.public_id]}, format="json"
        )
        problem = assert_problem(response, 404, "resource_missing")
        assert [(e["field"], e["code"]) for e in problem["errors"]] == [("order", "resource_missing")]
        for body in ({}, {"order": "fs_x"}, {"order": [first.public_id, second.public_id], "extra": 1}):
            assert sandbox_client.post(url(holder, "reorder"), body, format="json").status_code == 400
        assert [s["id"] for s in sandbox_client.get(url(holder)).json()["data"]] == [first.public_id, second.public_id]


class TestFundingSourceTenancy:
    @pytest.fixture
    def foreign_holder(self):
        return make_holder(partner=PartnerFactory(), name="Someone Else")

    def test_another_partners_holder_is_a_404_for_every_route(self, sandbox_client, foreign_holder):
        source = add_card(holder=foreign_holder)

        responses = [
            sandbox_client.get(url(foreign_holder)),
            sandbox_client.post(url(foreign_holder), CARD, format="json"),
            sandbox_client.get(url(foreign_holder, source.public_id)),
            sandbox_client.delete(url(foreign_holder, source.public_id)),
            sandbox_client.post(url(foreign_holder, "reorder"), {"order": [source.public_id]}, format="json"),
        ]

        for response in responses:
            assert_problem(response, 404, "resource_missing")
        assert FundingSource.objects.filter(holder=foreign_holder).count() == 1
        assert FundingSource.objects.get(pk=source.pk).status == "active"

    def test_another_holders_source_is_a_404_under_this_holder(self, sandbox_client, holder, partner):
        other = add_card(holder=make_holder(partner=partner, name="Grace"))

        assert_problem(sandbox_client.get(url(holder, other.public_id)), 404, "resource_missing")
        assert_problem(sandbox_client.delete(url(holder, other.public_id)), 404, "resource_missing")
        assert FundingSource.objects.get(pk=other.pk).status == "active"

    def test_an_unknown_holder_is_a_404(self, sandbox_client):
        response = sandbox_client.get("/v1/wallet_holders/ph_doesnotexist/funding_sources")

        assert_problem(response, 404, "resource_missing")

    def test_a_live_key_can_neither_read_nor_change_a_live_holders_sources(self, partner, client_for):
        live = LiveEnvironmentFactory(partner=partner)
        client = client_for(api_key_create(environment=live).secret)
        live_holder = make_holder(environment="live", name="Bank Customer")

        source = add_card(holder=live_holder)

        responses = [
            client.get(url(live_holder)),
            client.post(url(live_holder), CARD, format="json"),
            client.get(url(live_holder, source.public_id)),
            client.delete(url(live_holder, source.public_id)),
            client.post(url(live_holder, "reorder"), {"order": [source.public_id]}, format="json"),
        ]

        for response in responses:
            assert_problem(response, 403, "insufficient_scope")
        assert list(FundingSource.objects.values_list("status", flat=True)) == ["active"]

    def test_a_key_without_sandbox_write_can_neither_read_nor_change(self, sandbox, holder, client_for):
        client = client_for(api_key_create(environment=sandbox, scopes=["events:read"]).secret)

        assert_problem(client.get(url(holder)), 403, "insufficient_scope")
        assert_problem(client.post(url(holder), CARD, format="json"), 403, "insufficient_scope")
        assert not FundingSource.objects.exists()

    def test_no_credential_is_a_401(self, api_client, holder):
        assert_problem(api_client.get(url(holder)), 401, "authentication_required")


class TestFundingSourcesWithAHolderBoundToken:
    """The principal an OAuth token resolves to (once consents exist): the holder's own sources, read-only."""

    @pytest.fixture
    def call(self, partner, sandbox):
        factory = APIRequestFactory()

        def run(view, method, path, holder, token_holder, scopes=frozenset({"accounts:read"}), **kwargs):
            principal = oauth_principal(partner=partner, environment=sandbox, holder=token_holder, scopes=scopes)
            request = getattr(factory, method)(
                path, format="json", **({"data": kwargs["data"]} if "data" in kwargs else {})
            )
            force_authenticate(request, token=principal)
            return view.as_view()(request, holder_id=holder.public_id, **kwargs.get("route", {}))

        return run

    def test_the_token_reads_its_holders_sources(self, call, holder):
        source = add_card(holder=holder)

        response = call(FundingSourceListCreateApi, "get", url(holder), holder, holder)

        assert response.status_code == 200
        assert [s["id"] for s in response.data["data"]] == [source.public_id]

    def test_the_token_cannot_add_or_remove(self, call, holder):
        source = add_card(holder=holder)

        added = call(FundingSourceListCreateApi, "post", url(holder), holder, holder, data=CARD)
        removed = call(
            FundingSourceDetailApi,
            "delete",
            url(holder, source.public_id),
            holder,
            holder,
            route={"funding_source_id": source.public_id},
        )

        assert added.status_code == removed.status_code == 403
        assert list(FundingSource.objects.values_list("status", flat=True)) == ["active"]

    def test_another_holders_sources_do_not_exist_for_the_token(self, call, holder, partner):
        other = make_holder(partner=partner, name="Grace")
        add_card(holder=other)

        response = call(FundingSourceListCreateApi, "get", url(other), other, holder)

        assert response.status_code == 404

    def test_a_token_without_accounts_read_is_refused(self, call, holder):
        response = call(FundingSourceListCreateApi, "get", url(holder), holder, holder, scopes=frozenset())

        assert response.status_code == 403
