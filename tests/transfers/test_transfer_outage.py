"""``POST /v1/transfers`` while the database goes away in the middle of the write (apps/core/outages.py): 503
``service_unavailable`` with ``Retry-After``, nothing written, and the same request with the same
``Idempotency-Key`` succeeds once the database is back."""

import psycopg
import pytest
from django.db import connection

from apps.transfers.models import Transfer
from apps.wallets.models import Entry
from tests.helpers import assert_problem, balances, post_transfer
from tests.transfers.factories import table_counts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_rail")]


def connection_lost_on_the_ledger_write(execute, sql, params, many, context):
    """Statements run until the one that writes the journal's entries, which fails as a lost connection does."""
    if f'"{Entry._meta.db_table}"' in sql and "INSERT" in sql.upper():
        raise psycopg.OperationalError("server closed the connection unexpectedly")
    return execute(sql, params, many, context)


def test_a_transfer_cut_off_by_a_lost_connection_is_503_with_nothing_written(sandbox_client, usd, grace_usd):
    body = {"type": "p2p", "source": usd.public_id, "destination": grace_usd.public_id, "amount": 2_500}
    body["currency"] = "USD"
    before = table_counts(), balances(usd), balances(grace_usd)

    with connection.execute_wrapper(connection_lost_on_the_ledger_write):
        response = post_transfer(sandbox_client, body)

    problem = assert_problem(response, 503, "service_unavailable")
    assert response["Retry-After"] == "5"
    assert problem["request_id"] == response["Request-Id"]
    assert (table_counts(), balances(usd), balances(grace_usd)) == before

    retried = post_transfer(sandbox_client, body)

    assert retried.status_code == 201, retried.content
    assert Transfer.objects.get().public_id == retried.json()["id"]
