"""``GET /v1/transfers`` and ``GET /v1/transfers/{id}``: tenancy and scopes, the list's filters and cursor
pagination (with a query count that does not grow with the page), the detail's journal lines and status
history, and the OpenAPI serializers against the snapshots the API really sends."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.scopes import TRANSFERS_READ, TRANSFERS_WRITE
from apps.partners.services import api_key_create
from apps.transfers.lifecycle import transfer_reverse
from apps.transfers.models import Transfer, TransferReversal
from apps.transfers.selectors import transfer_detail
from apps.transfers.serializers import (
    JournalLineSerializer,
    ReversalSerializer,
    StatusChangeSerializer,
    TransferDetailSerializer,
    TransferFxSerializer,
    TransferSerializer,
)
from apps.transfers.snapshots import reversal_snapshot, transfer_snapshot
from tests.helpers import TRANSFERS_URL, assert_problem, client_as, post_transfer
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory
from tests.transfers.factories import api_key_principal, create_transfer, make_quote, run_rail, table_counts
from tests.wallets.factories import make_holder, make_wallet, oauth_principal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_rail")]

DAY = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


@pytest.fixture
def ada(partner):
    return make_holder(partner=partner, name="Ada Lovelace", kyc_tier="full")


@pytest.fixture
def usd(ada):
    return make_wallet(holder=ada, currency="USD", balance=1_000_000)


def p2p(sandbox, source, destination, amount: int = 100) -> Transfer:
    return create_transfer(
        sandbox, type="p2p", source=source.public_id, destination=destination.public_id, amount=amount, currency="USD"
    )


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["data"]]


@pytest.fixture
def theirs(db):
    """A succeeded p2p transfer of another partner's sandbox."""
    other = PartnerFactory()
    source = make_wallet(holder=make_holder(partner=other), balance=500)
    destination = make_wallet(holder=make_holder(partner=other, name="B"))
    return p2p(other.environments.get(kind="sandbox"), source, destination)


class TestAccess:
    def test_another_partners_transfer_is_a_404_everywhere(self, sandbox_client, theirs):
        before = table_counts()

        for response in (
            sandbox_client.get(f"{TRANSFERS_URL}/{theirs.public_id}"),
            sandbox_client.get(f"{TRANSFERS_URL}/{theirs.public_id}/reversals"),
            sandbox_client.post(f"{TRANSFERS_URL}/{theirs.public_id}/cancel", HTTP_IDEMPOTENCY_KEY="a"),
            sandbox_client.post(f"{TRANSFERS_URL}/{theirs.public_id}/reversals", {}, HTTP_IDEMPOTENCY_KEY="b"),
        ):
            assert_problem(response, 404, "resource_missing")
        assert table_counts() == before
        assert ids(sandbox_client.get(TRANSFERS_URL)) == []

    def test_a_live_credential_does_not_see_a_sandbox_transfer(self, partner, sandbox, usd, grace_usd):
        transfer = p2p(sandbox, usd, grace_usd)
        live = LiveEnvironmentFactory(partner=partner)
        client = client_as(
            oauth_principal(
                partner=partner,
                environment=live,
                holder=make_holder(environment="live"),
                scopes=frozenset({TRANSFERS_READ, TRANSFERS_WRITE}),
            )
        )

        assert_problem(client.get(f"{TRANSFERS_URL}/{transfer.public_id}"), 404, "resource_missing")
        assert ids(client.get(TRANSFERS_URL)) == []
        assert_problem(
            client.post(f"{TRANSFERS_URL}/{transfer.public_id}/cancel", HTTP_IDEMPOTENCY_KEY="c"),
            404,
            "resource_missing",
        )

    def test_a_live_secret_key_gets_403_because_live_holders_need_consent(self, partner, client_for, sandbox, usd):
        live = LiveEnvironmentFactory(partner=partner)
        client = client_for(api_key_create(environment=live, name="Live").secret)
        holder = make_holder(environment="live")
        source, destination = make_wallet(holder=holder, balance=500), make_wallet(holder=holder, currency="EUR")
        before = table_counts()

        body = {"type": "p2p", "source": source.public_id, "destination": destination.public_id}
        problem = assert_problem(
            post_transfer(client, {**body, "amount": 1, "currency": "USD"}), 403, "insufficient_scope"
        )

        assert "consent" in problem["detail"]
        assert problem["required_scopes"] == ["transfers:write"]
        assert_problem(client.get(TRANSFERS_URL), 403, "insufficient_scope")
        assert table_counts() == before

    def test_a_restricted_key_without_sandbox_write_gets_403(self, sandbox, client_for, usd, grace_usd):
        client = client_for(api_key_create(environment=sandbox, scopes=["events:read"]).secret)
        transfer = p2p(sandbox, usd, grace_usd)
        before = table_counts()

        body = {"type": "p2p", "source": usd.public_id, "destination": grace_usd.public_id, "currency": "USD"}
        problem = assert_problem(post_transfer(client, {**body, "amount": 1}), 403, "insufficient_scope")

        assert "sandbox:write" in problem["detail"]
        assert_problem(client.get(f"{TRANSFERS_URL}/{transfer.public_id}"), 403, "insufficient_scope")
        assert_problem(client.post(f"{TRANSFERS_URL}/{transfer.public_id}/reversals", {}), 403, "insufficient_scope")
        assert table_counts() == before

    def test_a_restricted_key_with_sandbox_write_moves_its_sandbox_holders_money(
        self, sandbox, client_for, usd, grace_usd
    ):
        client = client_for(api_key_create(environment=sandbox, scopes=["sandbox:write"]).secret)
        body = {"type": "p2p", "source": usd.public_id, "destination": grace_usd.public_id, "currency": "USD"}

        assert post_transfer(client, {**body, "amount": 1}).status_code == 201

    def test_no_credential_is_a_401(self, api_client):
        assert_problem(api_client.get(TRANSFERS_URL), 401, "authentication_required")
        assert_problem(post_transfer(api_client, {"type": "p2p"}), 401, "authentication_required")


class TestList:
    def test_lists_the_partners_transfers_newest_first_in_pages(self, sandbox_client, sandbox, usd, grace_usd, theirs):
        made = [p2p(sandbox, usd, grace_usd, amount=100 + i).public_id for i in range(5)]

        first = sandbox_client.get(f"{TRANSFERS_URL}?limit=2").json()

        assert [t["id"] for t in first["data"]] == [made[4], made[3]]
        assert (first["object"], first["has_more"], first["next_cursor"]) == ("list", True, made[3])
        second = sandbox_client.get(f"{TRANSFERS_URL}?limit=2&starting_after={first['next_cursor']}").json()
        assert [t["id"] for t in second["data"]] == [made[2], made[1]]
        last = sandbox_client.get(f"{TRANSFERS_URL}?limit=2&starting_after={second['next_cursor']}").json()
        assert ([t["id"] for t in last["data"]], last["has_more"], last["next_cursor"]) == ([made[0]], False, None)
        assert first["data"][0] == transfer_snapshot(Transfer.objects.get(public_id=made[4]))

    def test_a_transfer_made_while_paging_does_not_shift_the_pages(self, sandbox_client, sandbox, usd, grace_usd):
        made = [p2p(sandbox, usd, grace_usd).public_id for _ in range(3)]
        first = sandbox_client.get(f"{TRANSFERS_URL}?limit=2").json()
        p2p(sandbox, usd, grace_usd)

        second = sandbox_client.get(f"{TRANSFERS_URL}?limit=2&starting_after={first['next_cursor']}").json()

        assert [t["id"] for t in second["data"]] == [made[0]]

    @pytest.fixture
    def mixed(self, sandbox, usd, eur, grace_usd, bank):
        """One transfer of each type and several statuses, oldest first."""
        sent = p2p(sandbox, usd, grace_usd)
        top_up = run_rail(
            create_transfer(
                sandbox, type="top_up", source=bank.public_id, destination=usd.public_id, amount=50, currency="USD"
            )
        )
        payout = create_transfer(
            sandbox, type="payout", source=usd.public_id, destination=bank.public_id, amount=70, currency="USD"
        )
        quote = make_quote(environment=sandbox, source_amount=1_000)
        fx = create_transfer(sandbox, type="fx", quote=quote.public_id, source=usd.public_id, destination=eur.public_id)
        return {"p2p": sent, "top_up": top_up, "payout": payout, "fx": fx}

    def test_filters_by_status(self, sandbox_client, mixed):
        assert ids(sandbox_client.get(f"{TRANSFERS_URL}?status=pending")) == [mixed["payout"].public_id]
        assert ids(sandbox_client.get(f"{TRANSFERS_URL}?status=pending&status=succeeded")) == [
            mixed[kind].public_id for kind in ("fx", "payout", "top_up", "p2p")
        ]
        assert ids(sandbox_client.get(f"{TRANSFERS_URL}?status=failed")) == []

    def test_filters_by_type_repeatable(self, sandbox_client, mixed):
        assert ids(sandbox_client.get(f"{TRANSFERS_URL}?type=fx")) == [mixed["fx"].public_id]
        assert ids(sandbox_client.get(f"{TRANSFERS_URL}?type=top_up&type=payout")) == [
            mixed["payout"].public_id,
            mixed["top_up"].public_id,
        ]

    def test_filters_by_wallet_from_or_to(self, sandbox_client, mixed, eur, grace_usd, usd):
        assert ids(sandbox_client.get(f"{TRANSFERS_URL}?wallet={grace_usd.public_id}")) == [mixed["p2p"].public_id]
        assert ids(sandbox_client.get(f"{TRANSFERS_URL}?wallet={eur.public_id}")) == [mixed["fx"].public_id]
        assert len(ids(sandbox_client.get(f"{TRANSFERS_URL}?wallet={usd.public_id}"))) == 4

    def test_filters_combine(self, sandbox_client, mixed, usd):
        response = sandbox_client.get(f"{TRANSFERS_URL}?wallet={usd.public_id}&type=p2p&type=payout&status=succeeded")

        assert ids(response) == [mixed["p2p"].public_id]

    def test_filters_by_creation_date(self, sandbox_client, sandbox, usd, grace_usd):
        made = []
        for day in range(3):
            with time_machine.travel(DAY + timedelta(days=day), tick=False):
                made.append(p2p(sandbox, usd, grace_usd).public_id)

        assert ids(sandbox_client.get(f"{TRANSFERS_URL}?from=2026-11-23")) == [made[2], made[1]]
        assert ids(sandbox_client.get(f"{TRANSFERS_URL}?to=2026-11-23")) == [made[1], made[0]]
        assert ids(sandbox_client.get(f"{TRANSFERS_URL}?from=2026-11-23&to=2026-11-23")) == [made[1]]
        assert ids(sandbox_client.get(f"{TRANSFERS_URL}?from=2026-11-23T09:30:00Z&to=2026-11-24T09:29:59Z")) == [
            made[1]
        ]
        assert ids(sandbox_client.get(f"{TRANSFERS_URL}?from=2026-11-23T10:30:00%2B01:00")) == [made[2], made[1]]

    @pytest.mark.parametrize(
        ("query", "code", "field"),
        [
            ("status=bogus", "parameter_invalid", "status"),
            ("type=wire", "parameter_invalid", "type"),
            ("from=yesterday", "parameter_invalid", "from"),
            ("to=2026-13-01", "parameter_invalid", "to"),
            ("limit=0", "parameter_invalid", "limit"),
            ("limit=101", "parameter_invalid", "limit"),
            ("limit=ten", "parameter_invalid", "limit"),
            ("sort=amount", "parameter_unknown", "sort"),
            ("wallet=wal_a&wallet=wal_b", "parameter_invalid", "wallet"),
        ],
    )
    def test_bad_parameters_are_a_400(self, sandbox_client, query, code, field):
        problem = assert_problem(sandbox_client.get(f"{TRANSFERS_URL}?{query}"), 400, code)

        assert problem["errors"][0]["field"] == field

    def test_crossed_time_bounds_select_nothing(self, sandbox_client, theirs):
        response = sandbox_client.get(f"{TRANSFERS_URL}?from=2026-11-24&to=2026-11-23")

        assert (response.status_code, response.json()["data"]) == (200, [])

    @pytest.mark.parametrize("query", ["wallet=wal_doesnotexist", "starting_after=tr_doesnotexist"])
    def test_a_filter_or_cursor_naming_no_object_is_a_404_on_that_parameter(self, sandbox_client, query):
        problem = assert_problem(sandbox_client.get(f"{TRANSFERS_URL}?{query}"), 404, "resource_missing")

        assert problem["errors"][0]["field"] == query.split("=")[0]

    def test_another_partners_wallet_as_a_filter_is_a_404(self, sandbox_client, theirs):
        problem = assert_problem(
            sandbox_client.get(f"{TRANSFERS_URL}?wallet={theirs.source_wallet.public_id}"), 404, "resource_missing"
        )

        assert problem["errors"][0]["field"] == "wallet"

    def test_another_partners_transfer_is_not_a_cursor(self, sandbox_client, theirs):
        assert_problem(
            sandbox_client.get(f"{TRANSFERS_URL}?starting_after={theirs.public_id}"), 404, "resource_missing"
        )

    def test_the_number_of_queries_does_not_grow_with_the_page(
        self, sandbox_client, sandbox, mixed, usd, grace_usd, django_assert_num_queries
    ):
        for _ in range(8):
            p2p(sandbox, usd, grace_usd)
        sandbox_client.get(f"{TRANSFERS_URL}?limit=1")  # the key is cached from here on
        with CaptureQueriesContext(connection) as small:
            assert len(ids(sandbox_client.get(f"{TRANSFERS_URL}?limit=1"))) == 1

        with django_assert_num_queries(len(small.captured_queries)):
            assert len(ids(sandbox_client.get(f"{TRANSFERS_URL}?limit=100"))) == 12
        with django_assert_num_queries(len(small.captured_queries) + 1):  # the wallet filter's lookup
            assert len(ids(sandbox_client.get(f"{TRANSFERS_URL}?limit=100&wallet={usd.public_id}"))) == 12


class TestDetail:
    def test_a_p2p_transfer_with_its_journal_lines_and_status_history(self, sandbox_client, sandbox, usd, grace_usd):
        with time_machine.travel(DAY, tick=False):
            transfer = p2p(sandbox, usd, grace_usd, amount=2_500)

        body = sandbox_client.get(f"{TRANSFERS_URL}/{transfer.public_id}").json()

        assert {k: v for k, v in body.items() if k not in ("journal_lines", "status_history")} == transfer_snapshot(
            transfer
        )
        line = {"kind": "transfer", "reversal": None, "account_type": "wallet", "currency": "USD"}
        assert body["journal_lines"] == [
            {**line, "account": usd.public_id, "amount": -2_500, "posted_at": "2026-11-22T09:30:00Z"},
            {**line, "account": grace_usd.public_id, "amount": 2_500, "posted_at": "2026-11-22T09:30:00Z"},
        ]
        assert body["status_history"] == [
            {"status": "pending", "previous_status": None, "reason": "created", "at": "2026-11-22T09:30:00Z"},
            {"status": "succeeded", "previous_status": "pending", "reason": None, "at": "2026-11-22T09:30:00Z"},
        ]

    def test_a_top_up_shows_system_accounts_and_every_step(self, sandbox_client, sandbox, usd, bank):
        top_up = run_rail(
            create_transfer(
                sandbox, type="top_up", source=bank.public_id, destination=usd.public_id, amount=500, currency="USD"
            )
        )

        body = sandbox_client.get(f"{TRANSFERS_URL}/{top_up.public_id}").json()

        assert [(line["account"], line["account_type"], line["amount"]) for line in body["journal_lines"]] == [
            (usd.public_id, "wallet", 500),
            ("clearing:bank", "system", -500),
        ]
        assert [(s["previous_status"], s["status"]) for s in body["status_history"]] == [
            (None, "pending"),
            ("pending", "processing"),
            ("processing", "succeeded"),
        ]

    def test_a_pending_transfer_has_no_journal_lines_yet(self, sandbox_client, sandbox, usd, bank):
        payout = create_transfer(
            sandbox, type="payout", source=usd.public_id, destination=bank.public_id, amount=5, currency="USD"
        )

        body = sandbox_client.get(f"{TRANSFERS_URL}/{payout.public_id}").json()

        assert (body["status"], body["journal_lines"], len(body["status_history"])) == ("pending", [], 1)

    def test_reversal_lines_name_their_reversal_and_every_journal_sums_to_zero(self, sandbox_client, sandbox, usd, eur):
        quote = make_quote(environment=sandbox, source_amount=10_001)
        fx = create_transfer(sandbox, type="fx", quote=quote.public_id, source=usd.public_id, destination=eur.public_id)
        principal = api_key_principal(environment=sandbox)
        first = transfer_reverse(principal=principal, transfer_id=fx.public_id, amount=3_333)
        second = transfer_reverse(principal=principal, transfer_id=fx.public_id)

        body = sandbox_client.get(f"{TRANSFERS_URL}/{fx.public_id}").json()

        assert body["status"] == "reversed" and body["amount_reversed"] == 10_001
        by_journal: dict[tuple[str, str | None], dict[str, int]] = {}
        for line in body["journal_lines"]:
            totals = by_journal.setdefault((line["kind"], line["reversal"]), {})
            totals[line["currency"]] = totals.get(line["currency"], 0) + line["amount"]
        assert list(by_journal) == [
            ("fx", None),
            ("transfer_reversal", first.public_id),
            ("transfer_reversal", second.public_id),
        ]
        assert all(set(totals.values()) == {0} for totals in by_journal.values())
        assert {line["account"] for line in body["journal_lines"] if line["account_type"] == "system"} == {"fx", "fees"}

    def test_the_detail_query_count_does_not_grow_with_reversals(
        self, sandbox, usd, grace_usd, django_assert_num_queries
    ):
        principal = api_key_principal(environment=sandbox)
        few, many = p2p(sandbox, usd, grace_usd), p2p(sandbox, usd, grace_usd)
        transfer_reverse(principal=principal, transfer_id=few.public_id, amount=10)
        for _ in range(4):
            transfer_reverse(principal=principal, transfer_id=many.public_id, amount=10)
        with CaptureQueriesContext(connection) as baseline:
            transfer_detail(principal=principal, transfer_id=few.public_id)

        with django_assert_num_queries(len(baseline.captured_queries)):
            detail = transfer_detail(principal=principal, transfer_id=many.public_id)

        assert len(detail["journal_lines"]) == 2 + 4 * 2

    def test_an_unknown_transfer_is_a_404(self, sandbox_client):
        assert_problem(sandbox_client.get(f"{TRANSFERS_URL}/tr_doesnotexist"), 404, "resource_missing")


class TestSchemaDescribesWhatIsSent:
    """The OpenAPI serializers are documentation only: their fields must be exactly the keys the snapshots send."""

    @pytest.fixture
    def sent(self, sandbox, usd, eur):
        quote = make_quote(environment=sandbox, source_amount=1_000)
        fx = create_transfer(sandbox, type="fx", quote=quote.public_id, source=usd.public_id, destination=eur.public_id)
        reversal = transfer_reverse(
            principal=api_key_principal(environment=sandbox), transfer_id=fx.public_id, amount=7
        )
        detail = transfer_detail(principal=api_key_principal(environment=sandbox), transfer_id=fx.public_id)
        return {"transfer": transfer_snapshot(fx), "detail": detail, "reversal": reversal_snapshot(reversal)}

    def test_transfer(self, sent):
        assert set(TransferSerializer().fields) == set(sent["transfer"])
        assert set(TransferFxSerializer().fields) == set(sent["transfer"]["fx"])

    def test_transfer_detail(self, sent):
        assert set(TransferDetailSerializer().fields) == set(sent["detail"])
        assert set(JournalLineSerializer().fields) == set(sent["detail"]["journal_lines"][0])
        assert set(StatusChangeSerializer().fields) == set(sent["detail"]["status_history"][0])

    def test_reversal(self, sent):
        assert set(ReversalSerializer().fields) == set(sent["reversal"])

    @pytest.mark.parametrize(
        ("serializer", "key"),
        [(TransferSerializer, "transfer"), (TransferDetailSerializer, "detail"), (ReversalSerializer, "reversal")],
    )
    def test_what_is_sent_validates_against_its_serializer(self, sent, serializer, key):
        checked = serializer(data=sent[key])

        assert checked.is_valid(), checked.errors

    def test_a_reversal_row_matches_the_api_shape(self, sandbox_client, sandbox, usd, grace_usd):
        transfer = p2p(sandbox, usd, grace_usd)
        response = sandbox_client.post(
            f"{TRANSFERS_URL}/{transfer.public_id}/reversals", {"amount": 5}, format="json", HTTP_IDEMPOTENCY_KEY="r"
        )

        assert response.json() == reversal_snapshot(TransferReversal.objects.get())
