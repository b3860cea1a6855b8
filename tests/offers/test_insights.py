"""Spending insights (``GET /v1/wallet_holders/{id}/insights``) against a hand-computed fixture: a year of salary
with drifting paydays, rent with a skipped month, a subscription whose price rises, a weekly gym, a yearly fee,
irregular groceries, a reversed payment and a merchant refund. Every figure below was worked out by hand."""

from datetime import UTC, date, datetime, timedelta

import pytest

from apps.core.scopes import ACCOUNTS_READ, INSIGHTS_READ
from apps.wallets import services
from apps.wallets.preferences import personalisation_set
from tests.helpers import assert_book_balanced, assert_problem, client_as
from tests.partners.factories import PartnerFactory
from tests.wallets.factories import make_holder, make_wallet, oauth_principal, post

pytestmark = pytest.mark.django_db

URL = "/v1/wallet_holders/{}/insights"
WINDOW = "?from=2026-04-01&to=2026-06-30&currency=USD"


def at(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=UTC) + timedelta(hours=10)


SALARY_DAYS = [
    "2025-07-25", "2025-08-25", "2025-09-24", "2025-10-24", "2025-11-25", "2025-12-24",
    "2026-01-23", "2026-02-25", "2026-03-25", "2026-04-24", "2026-05-25", "2026-06-25",
]  # fmt: skip
RENT_DAYS = [f"2025-{m:02d}-01" for m in range(7, 13)] + [f"2026-{m:02d}-01" for m in (1, 3, 4, 5, 6)]  # no February
STREAM_DAYS = [
    "2025-07-14", "2025-08-15", "2025-09-13", "2025-10-14", "2025-11-16", "2025-12-14",
    "2026-01-14", "2026-02-14", "2026-03-14", "2026-04-14", "2026-05-15", "2026-06-13",
]  # fmt: skip


def seed_history(wallet) -> None:
    post(wallet=wallet, amount=2_000_000, category="transfer", counterparty="Opening", booked_at=at("2025-06-01"))
    for day in SALARY_DAYS:
        post(wallet=wallet, amount=500_000, category="salary", counterparty="Acme Corp", booked_at=at(day))
    for day in RENT_DAYS:
        post(wallet=wallet, amount=-150_000, category="rent", merchant_name="Landlord Ltd", booked_at=at(day))
    for day in STREAM_DAYS:
        price = 1_499 if day >= "2026-05" else 1_299
        post(wallet=wallet, amount=-price, category="entertainment", merchant_name="Stream+", booked_at=at(day))
    monday = date(2026, 3, 2)
    while monday <= date(2026, 6, 29):
        post(wallet=wallet, amount=-500, category="health", merchant_name="Peak Fitness", booked_at=at(str(monday)))
        monday += timedelta(days=7)
    for day in ("2025-06-10", "2026-06-12"):
        post(wallet=wallet, amount=-2_000, category="other", merchant_name="Domain Registry", booked_at=at(day))
    for day, amount in (("2026-02-10", 7_000), ("2026-04-03", 3_000), ("2026-04-20", 4_500), ("2026-06-02", 2_500)):
        post(wallet=wallet, amount=-amount, category="groceries", merchant_name="Corner Shop", booked_at=at(day))
    gadget = post(
        wallet=wallet, amount=-20_000, category="shopping", merchant_name="Gadget Hub", booked_at=at("2026-05-05")
    )
    services.transaction_reverse(txn=gadget)
    post(
        wallet=wallet,
        amount=1_000,
        type="refund",
        category="shopping",
        merchant_name="Gadget Hub",
        booked_at=at("2026-05-20"),
    )


@pytest.fixture
def holder(partner):
    holder = make_holder(partner=partner)
    seed_history(make_wallet(holder=holder, currency="USD"))
    return personalisation_set(holder=holder, enabled=True)


class TestInsights:
    def test_totals_categories_cash_flow_and_recurring_match_the_hand_computed_figures(self, holder, sandbox_client):
        response = sandbox_client.get(URL.format(holder.public_id) + WINDOW)

        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["object"], body["holder"], body["currency"]) == ("insights", holder.public_id, "USD")
        assert (body["from"], body["to"]) == ("2026-04-01", "2026-06-30")
        assert (body["income"], body["spending"], body["refunds"]) == (1_500_000, 472_797, 1_000)
        assert [
            (c["category"], c["amount"], c["count"], c["previous_amount"], c["change"], c["change_percent"])
            for c in body["by_category"]
        ] == [
            ("rent", 450_000, 3, 300_000, 150_000, "50.0"),
            ("groceries", 10_000, 3, 7_000, 3_000, "42.9"),
            ("health", 6_500, 13, 2_500, 4_000, "160.0"),
            ("entertainment", 4_297, 3, 3_897, 400, "10.3"),
            ("other", 2_000, 1, 0, 2_000, None),
        ]
        assert body["cash_flow"] == [
            {"month": "2026-04", "income": 500_000, "spending": 160_799, "net": 339_201},
            {"month": "2026-05", "income": 500_000, "spending": 153_499, "net": 346_501},
            {"month": "2026-06", "income": 500_000, "spending": 158_499, "net": 341_501},
        ]
        assert [
            (r["merchant"], r["category"], r["direction"], r["amount"], r["cadence"], r["occurrences"])
            for r in body["recurring"]
        ] == [
            ("Acme Corp", "salary", "in", 500_000, "monthly", 12),
            ("Landlord Ltd", "rent", "out", 150_000, "monthly", 11),
            ("Domain Registry", "other", "out", 2_000, "yearly", 2),
            ("Stream+", "entertainment", "out", 1_299, "monthly", 12),
            ("Peak Fitness", "health", "out", 500, "weekly", 18),
        ]
        by_merchant = {r["merchant"]: r for r in body["recurring"]}
        assert (by_merchant["Landlord Ltd"]["last_at"], by_merchant["Landlord Ltd"]["next_expected_at"]) == (
            "2026-06-01T10:00:00Z",
            "2026-07-01T10:00:00Z",
        )
        assert by_merchant["Peak Fitness"]["next_expected_at"] == "2026-07-06T10:00:00Z"
        assert by_merchant["Domain Registry"]["next_expected_at"] == "2027-06-12T10:00:00Z"
        assert by_merchant["Stream+"]["next_expected_at"] == "2026-07-13T10:00:00Z"
        assert_book_balanced()

    def test_a_series_that_stopped_is_not_recurring_and_an_earlier_window_has_its_own_figures(
        self, holder, sandbox_client
    ):
        body = sandbox_client.get(URL.format(holder.public_id) + "?from=2027-01-01&to=2027-03-31").json()

        assert (body["income"], body["spending"], body["by_category"], body["recurring"]) == (0, 0, [], [])
        assert [f["month"] for f in body["cash_flow"]] == ["2027-01", "2027-02", "2027-03"]

    def test_a_holder_who_has_not_opted_in_or_opted_out_gets_no_insights(self, holder, sandbox_client):
        personalisation_set(holder=holder, enabled=False)

        assert_problem(sandbox_client.get(URL.format(holder.public_id) + WINDOW), 403, "personalisation_off")

    def test_another_partners_holder_is_not_found(self, sandbox_client):
        other = personalisation_set(holder=make_holder(partner=PartnerFactory()), enabled=True)

        assert_problem(sandbox_client.get(URL.format(other.public_id)), 404, "resource_missing")

    def test_a_token_needs_insights_read_and_sees_only_its_consented_wallets(self, holder, partner, sandbox):
        eur = make_wallet(holder=holder, currency="EUR", balance=5_000)
        usd = holder.wallets.get(currency="USD")
        without = oauth_principal(
            partner=partner, environment=sandbox, holder=holder, scopes=frozenset({ACCOUNTS_READ})
        )
        assert_problem(client_as(without).get(URL.format(holder.public_id)), 403, "insufficient_scope")
        only_eur = oauth_principal(
            partner=partner, environment=sandbox, holder=holder, wallets=[eur], scopes=frozenset({INSIGHTS_READ})
        )
        assert_problem(
            client_as(only_eur).get(URL.format(holder.public_id) + WINDOW), 404, "wallet_not_found_for_currency"
        )
        both = oauth_principal(
            partner=partner, environment=sandbox, holder=holder, wallets=[eur, usd], scopes=frozenset({INSIGHTS_READ})
        )
        assert client_as(both).get(URL.format(holder.public_id) + WINDOW).json()["spending"] == 472_797

    @pytest.mark.parametrize(
        "query, field",
        [
            ("?from=2026-06-30&to=2026-04-01", "from"),
            ("?from=2025-01-01&to=2026-06-30", "from"),
            ("?from=0001-01-01&to=0001-03-01", "to"),
            ("?from=1969-12-31&to=1970-03-01", "from"),
            ("?to=9999-12-31", "to"),
            ("?from=0001-01-01", "from"),
        ],
    )
    def test_well_formed_dates_that_make_no_window_are_a_422(self, holder, sandbox_client, query, field):
        body = assert_problem(sandbox_client.get(URL.format(holder.public_id) + query), 422, "window_invalid")
        assert [(e["field"], e["code"]) for e in body["errors"]] == [(field, "window_invalid")]

    @pytest.mark.parametrize(
        "query, field",
        [
            ("?from=yesterday", "from"),
            ("?currency=ABC", "currency"),
            ("?holder=x", "holder"),
        ],
    )
    def test_bad_parameters_are_refused(self, holder, sandbox_client, query, field):
        body = assert_problem(sandbox_client.get(URL.format(holder.public_id) + query), 400, body_code(query))
        assert body["errors"][0]["field"] == field


def body_code(query: str) -> str:
    return "parameter_unknown" if "holder" in query else "parameter_invalid"
