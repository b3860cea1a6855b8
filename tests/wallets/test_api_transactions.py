from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.wallets import services
from apps.wallets.snapshots import transaction_snapshot
from tests.helpers import assert_problem, client_as
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory
from tests.wallets.factories import make_history, make_holder, make_wallet, oauth_principal, post

pytestmark = pytest.mark.django_db

FIELDS = {
    "id",
    "object",
    "environment",
    "wallet",
    "type",
    "status",
    "amount",
    "currency",
    "description",
    "counterparty",
    "merchant_name",
    "category",
    "balance_after",
    "booked_at",
    "value_date",
    "created_at",
}


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def wallet(holder):
    return make_wallet(holder=holder, currency="GBP")


def _ids(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return [t["id"] for t in response.json()["data"]]


class TestTransactionRetrieve:
    def test_a_posted_card_payment_has_the_documented_shape(self, sandbox_client, wallet):
        post(wallet=wallet, amount=10_000, category="salary", counterparty="Acme Ltd", booked_at=_at(1))
        txn = post(
            wallet=wallet,
            amount=-1_299,
            category="dining",
            description="PRET A MANGER 123",
            merchant_name="Pret A Manger",
            booked_at=_at(2, 13),
        )

        response = sandbox_client.get(f"/v1/transactions/{txn.public_id}")

        assert response.status_code == 200
        body = response.json()
        assert set(body) == FIELDS
        assert body["id"] == txn.public_id and body["id"].startswith("txn_")
        assert (body["object"], body["environment"], body["wallet"]) == ("transaction", "sandbox", wallet.public_id)
        assert (body["type"], body["status"], body["category"]) == ("card_payment", "posted", "dining")
        assert (body["amount"], body["currency"], body["balance_after"]) == (-1_299, "GBP", 8_701)
        assert (body["description"], body["merchant_name"], body["counterparty"]) == (
            "PRET A MANGER 123",
            "Pret A Manger",
            None,
        )
        assert body["booked_at"] == "2026-03-02T13:00:00Z"
        assert body["value_date"] == "2026-03-02"

    def test_the_response_matches_the_event_payload_of_the_same_transaction(self, sandbox_client, wallet):
        txn = post(wallet=wallet, amount=500, counterparty="Mum", description="Birthday")

        assert sandbox_client.get(f"/v1/transactions/{txn.public_id}").json() == transaction_snapshot(txn)

    def test_a_pending_transaction_has_no_balance_after(self, sandbox_client, wallet):
        post(wallet=wallet, amount=1_000)
        placed = services.hold_place(wallet=wallet, amount=300, category="transport", merchant_name="TfL")

        body = sandbox_client.get(f"/v1/transactions/{placed.transaction.public_id}").json()

        assert (body["status"], body["amount"], body["balance_after"]) == ("pending", -300, None)

    def test_another_partners_transaction_is_a_404(self, sandbox_client):
        other_wallet = make_wallet(holder=make_holder(partner=PartnerFactory()), balance=100)
        (txn,) = other_wallet.transactions.all()

        assert_problem(sandbox_client.get(f"/v1/transactions/{txn.public_id}"), 404, "resource_missing")

    def test_a_live_transaction_is_a_404_to_a_sandbox_key(self, sandbox_client, partner):
        LiveEnvironmentFactory(partner=partner)
        live_wallet = make_wallet(holder=make_holder(environment="live"), balance=100)
        (txn,) = live_wallet.transactions.all()

        assert_problem(sandbox_client.get(f"/v1/transactions/{txn.public_id}"), 404, "resource_missing")

    def test_balance_after_is_null_for_a_token_without_balances_read(self, partner, sandbox, holder, wallet):
        txn = post(wallet=wallet, amount=500)
        client = client_as(
            oauth_principal(
                partner=partner, environment=sandbox, holder=holder, scopes=frozenset({"transactions:read"})
            )
        )

        body = client.get(f"/v1/transactions/{txn.public_id}").json()

        assert body["amount"] == 500 and body["balance_after"] is None


class TestWalletTransactionList:
    def test_lists_the_wallets_transactions_newest_first(self, sandbox_client, holder, wallet):
        made = make_history(wallet=wallet, count=4)
        make_history(wallet=make_wallet(holder=holder, currency="EUR"), count=2)

        body = sandbox_client.get(f"/v1/wallets/{wallet.public_id}/transactions").json()

        assert body["object"] == "list"
        assert [t["id"] for t in body["data"]] == [t.public_id for t in reversed(made)]
        assert all(set(t) == FIELDS for t in body["data"])
        assert body["has_more"] is False and body["next_cursor"] is None

    def test_another_partners_wallet_is_a_404(self, sandbox_client):
        other_wallet = make_wallet(holder=make_holder(partner=PartnerFactory()), balance=100)

        assert_problem(
            sandbox_client.get(f"/v1/wallets/{other_wallet.public_id}/transactions"), 404, "resource_missing"
        )

    def test_a_cursor_from_another_wallet_is_a_400(self, sandbox_client, holder, wallet):
        post(wallet=wallet, amount=100)
        other = make_wallet(holder=holder, currency="EUR", balance=100)
        (foreign,) = other.transactions.all()

        body = assert_problem(
            sandbox_client.get(f"/v1/wallets/{wallet.public_id}/transactions?starting_after={foreign.public_id}"),
            404,
            "resource_missing",
        )

        assert body["errors"][0]["field"] == "starting_after"

    def test_a_page_costs_the_same_queries_for_one_transaction_as_for_fifty(
        self, sandbox_client, wallet, django_assert_max_num_queries
    ):
        first = post(wallet=wallet, amount=100)
        url = f"/v1/wallets/{wallet.public_id}/transactions?limit=100&category=other&q=&min_amount=1"
        sandbox_client.get(url)  # warm the key cache

        with CaptureQueriesContext(connection) as one:
            assert len(sandbox_client.get(url).json()["data"]) == 1
        for _ in range(49):
            post(wallet=wallet, amount=100)
        # The wallet and the page, plus three for the request log where it shares the database (PostgreSQL).
        with CaptureQueriesContext(connection) as fifty, django_assert_max_num_queries(5):
            assert len(sandbox_client.get(url).json()["data"]) == 50
        newest = wallet.transactions.order_by("-pk").first()
        with CaptureQueriesContext(connection) as paged, django_assert_max_num_queries(6):
            body = sandbox_client.get(f"{url}&starting_after={newest.public_id}").json()
        assert len(body["data"]) == 49 and body["data"][-1]["id"] == first.public_id

        assert len(one.captured_queries) == len(fifty.captured_queries)
        assert len(paged.captured_queries) == len(one.captured_queries) + 1  # the cursor lookup


class TestTransactionListPagination:
    """Paging is keyset on the posting sequence: rows arriving or posting between pages never move others."""

    def _walk(self, client, url: str, between_pages) -> list[str]:
        seen: list[str] = []
        cursor = None
        page_number = 0
        while True:
            page = client.get(url + (f"&starting_after={cursor}" if cursor else "")).json()
            seen += [t["id"] for t in page["data"]]
            if not page["has_more"]:
                return seen
            cursor = page["next_cursor"]
            between_pages(page_number)
            page_number += 1

    def test_nothing_is_skipped_or_repeated_while_new_transactions_arrive(self, sandbox_client, wallet):
        made = make_history(wallet=wallet, count=10)
        url = f"/v1/wallets/{wallet.public_id}/transactions?limit=3"

        seen = self._walk(sandbox_client, url, lambda _: post(wallet=wallet, amount=50))

        assert seen == [t.public_id for t in reversed(made)]

    def test_nothing_is_skipped_or_repeated_while_pending_items_post_between_pages(self, sandbox_client, wallet):
        post(wallet=wallet, amount=100_000)
        holds = []
        for i in range(9):
            holds.append(services.hold_place(wallet=wallet, amount=100 + i, merchant_name=f"Shop {i}"))
            post(wallet=wallet, amount=10)
        expected = list(wallet.transactions.order_by("-pk").values_list("public_id", flat=True))
        # Post the holds from the oldest side, which the reader has not reached yet, and the newest side,
        # which it has already read; release one; all while it pages.
        to_settle = [holds[0], holds[8], holds[1], holds[7], holds[2], holds[6]]

        def settle(page_number: int) -> None:
            for placed in to_settle[page_number * 2 : page_number * 2 + 2]:
                services.hold_capture(hold=placed.hold)
            if page_number == 0:
                services.hold_release(hold=holds[4].hold)
            post(wallet=wallet, amount=1)

        seen = self._walk(sandbox_client, f"/v1/wallets/{wallet.public_id}/transactions?limit=4", settle)

        assert seen == expected
        assert len(seen) == len(set(seen)) == 19

    def test_a_status_filtered_list_keeps_paging_when_its_cursor_leaves_the_filter(self, sandbox_client, wallet):
        post(wallet=wallet, amount=100_000)
        holds = [services.hold_place(wallet=wallet, amount=100 + i) for i in range(6)]
        url = f"/v1/wallets/{wallet.public_id}/transactions?status=pending&limit=2"

        first = sandbox_client.get(url).json()
        assert [t["id"] for t in first["data"]] == [holds[5].transaction.public_id, holds[4].transaction.public_id]
        services.hold_capture(hold=holds[4].hold)  # the cursor is no longer pending
        second = sandbox_client.get(f"{url}&starting_after={first['next_cursor']}").json()

        assert [t["id"] for t in second["data"]] == [holds[3].transaction.public_id, holds[2].transaction.public_id]


class TestTransactionListFilters:
    @pytest.fixture
    def history(self, wallet):
        return {
            "salary": post(
                wallet=wallet,
                amount=250_000,
                type="deposit",
                category="salary",
                counterparty="Acme Ltd",
                description="ACME LTD PAYROLL",
                booked_at=_at(1, 9),
            ),
            "rent": post(
                wallet=wallet,
                amount=-120_000,
                type="transfer",
                category="rent",
                counterparty="Landlord",
                description="Rent March",
                booked_at=_at(2, 8),
            ),
            "groceries": post(
                wallet=wallet,
                amount=-4_250,
                category="groceries",
                merchant_name="Tesco",
                description="TESCO STORES 2041",
                booked_at=_at(3, 18),
            ),
            "dining": post(
                wallet=wallet,
                amount=-2_500,
                category="dining",
                merchant_name="Dishoom",
                description="DISHOOM KINGS CROSS",
                booked_at=_at(5, 20),
            ),
            "refund": post(
                wallet=wallet,
                amount=2_500,
                type="refund",
                category="refund",
                merchant_name="Dishoom",
                description="Refund",
                booked_at=_at(6, 10),
            ),
        }

    @pytest.fixture
    def url(self, wallet):
        return f"/v1/wallets/{wallet.public_id}/transactions?"

    def _names(self, client, url: str, history: dict) -> set[str]:
        by_id = {t.public_id: name for name, t in history.items()}
        return {by_id[i] for i in _ids(client, url)}

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("from=2026-03-03", {"groceries", "dining", "refund"}),
            ("to=2026-03-03", {"salary", "rent", "groceries"}),
            ("from=2026-03-02&to=2026-03-03", {"rent", "groceries"}),
            ("from=2026-03-03T18:00:00Z", {"groceries", "dining", "refund"}),
            ("from=2026-03-03T18:00:00.000001Z", {"dining", "refund"}),
            ("to=2026-03-03T18:00:00Z", {"salary", "rent", "groceries"}),
            ("from=2026-03-03T19:00:00%2B01:00&to=2026-03-03T19:00:00%2B01:00", {"groceries"}),
            ("from=2026-03-03T19:00:00+01:00&to=2026-03-03T19:00:00+01:00", {"groceries"}),
            ("from=2026-03-03T13:00:00-05:00", {"groceries", "dining", "refund"}),
            ("type=card_payment", {"groceries", "dining"}),
            ("type=deposit&type=refund", {"salary", "refund"}),
            ("category=dining", {"dining"}),
            ("category=rent&category=salary", {"salary", "rent"}),
            ("status=posted", {"salary", "rent", "groceries", "dining", "refund"}),
            ("status=reversed", set()),
            ("min_amount=4250", {"salary", "rent", "groceries"}),
            ("max_amount=2500", {"dining", "refund"}),
            ("min_amount=2500&max_amount=4250", {"groceries", "dining", "refund"}),
            ("q=dishoom", {"dining", "refund"}),
            ("q=Tesco", {"groceries"}),
            ("q=payroll", {"salary"}),
            ("q=", {"salary", "rent", "groceries", "dining", "refund"}),
            ("type=", {"salary", "rent", "groceries", "dining", "refund"}),
            ("q=dishoom&type=refund", {"refund"}),
            ("from=2026-03-04&category=groceries", set()),
        ],
    )
    def test_filters(self, sandbox_client, url, history, query, expected):
        assert self._names(sandbox_client, url + query, history) == expected

    def test_a_reversal_shows_the_original_as_reversed_and_the_refund_as_new(self, sandbox_client, url, history):
        refund = services.transaction_reverse(txn=history["groceries"])

        reversed_ids = _ids(sandbox_client, url + "status=reversed")
        newest = _ids(sandbox_client, url + "limit=1")

        assert reversed_ids == [history["groceries"].public_id]
        assert newest == [refund.public_id]

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("from=yesterday", "from"),
            ("from=2026-02-30", "from"),
            ("from=2026-03-01T09:30:00", "from"),  # no offset
            ("to=2026-03-01T25:00:00Z", "to"),
            ("to=03/01/2026", "to"),
            ("type=wire", "type"),
            ("status=settled", "status"),
            ("category=food", "category"),
            ("category=dining&category=food", "category"),
            ("min_amount=-1", "min_amount"),
            ("min_amount=ten", "min_amount"),
            ("max_amount=1.5", "max_amount"),
            ("q=" + "x" * 101, "q"),
            ("from=2026-03-01&from=2026-03-02", "from"),
            ("limit=0", "limit"),
        ],
    )
    def test_a_malformed_filter_is_a_400_naming_the_field(self, sandbox_client, url, history, query, field):
        body = assert_problem(sandbox_client.get(url + query), 400, "parameter_invalid")

        assert [e["field"] for e in body["errors"]] == [field]
        assert body["request_id"]

    def test_from_after_to_selects_nothing(self, sandbox_client, url, history):
        assert self._names(sandbox_client, url + "from=2026-03-05&to=2026-03-04", history) == set()

    def test_the_same_day_as_from_and_to_is_that_whole_day(self, sandbox_client, url, history):
        assert self._names(sandbox_client, url + "from=2026-03-03&to=2026-03-03", history) == {"groceries"}

    def test_a_from_date_time_after_a_to_date_time_on_the_same_day_selects_nothing(self, sandbox_client, url, history):
        query = "from=2026-03-03T12:00:01Z&to=2026-03-03T12:00:00Z"

        assert self._names(sandbox_client, url + query, history) == set()

    def test_min_amount_above_max_amount_selects_nothing(self, sandbox_client, url, history):
        assert self._names(sandbox_client, url + "min_amount=500&max_amount=100", history) == set()

    def test_an_unknown_filter_is_refused(self, sandbox_client, url, history):
        body = assert_problem(sandbox_client.get(url + "merchant=Tesco&type=refund"), 400, "parameter_unknown")

        assert body["errors"] == [{"field": "merchant", "code": "parameter_unknown", "message": "Unknown parameter."}]

    def test_a_token_without_transactions_read_gets_403(self, partner, sandbox, holder, url, history):
        client = client_as(
            oauth_principal(partner=partner, environment=sandbox, holder=holder, scopes=frozenset({"accounts:read"}))
        )

        body = assert_problem(client.get(url), 403, "insufficient_scope")

        assert body["required_scopes"] == ["transactions:read"]
