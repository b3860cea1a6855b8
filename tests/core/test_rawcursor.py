"""Numbered statements (apps.core.rawcursor) and the inserts that use them (apps.core.sql.insert)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.core import rawcursor, sql
from apps.events.models import Event


class TestNumbered:
    def test_placeholders_are_numbered_in_order(self):
        assert rawcursor.numbered("SELECT %s, %s FROM t WHERE a = %s") == "SELECT $1, $2 FROM t WHERE a = $3"

    def test_a_statement_without_placeholders_is_unchanged(self):
        assert rawcursor.numbered("SELECT 1") == "SELECT 1"

    @pytest.mark.parametrize("statement", ["SELECT '100%'", "SELECT %(name)s", "SELECT %%s"])
    def test_any_other_percent_is_refused(self, statement):
        with pytest.raises(ValueError, match="only %s placeholders"):
            rawcursor.numbered(statement)


@pytest.mark.postgres
@pytest.mark.django_db
class TestRawCursor:
    def test_it_runs_a_numbered_statement_and_is_logged_and_wrapped(self):
        seen = []

        def wrapper(execute, sql_, params, many, context):
            seen.append(sql_)
            return execute(sql_, params, many, context)

        with (
            CaptureQueriesContext(connection) as captured,
            connection.execute_wrapper(wrapper),
            rawcursor.cursor(connection) as cursor,
        ):
            cursor.execute("SELECT $1::integer + $2::integer, $1::integer", [40, 2])
            assert cursor.fetchall() == [(42, 40)]
        assert seen == ["SELECT $1::integer + $2::integer, $1::integer"]
        assert [query["sql"] for query in captured.captured_queries] == seen

    def test_without_query_logging_it_is_a_plain_wrapper(self):
        with rawcursor.cursor(connection) as cursor:
            cursor.execute("SELECT $1::text", ["a"])
            assert cursor.fetchone() == ("a",)


@pytest.mark.django_db
class TestInsertBatch:
    def test_a_batch_longer_than_the_drivers_cache_inserts_every_row_in_order(self, partner):
        """Sixty rows: far over psycopg's 4 kB / 50 parameters, numbered on PostgreSQL, ``%s`` on SQLite."""
        environment = partner.environments.get(kind="sandbox")
        events = [
            sql.new(
                Event,
                partner=partner,
                environment=environment,
                type="test.batch",
                object_id=f"obj_{n:03}",
                object_type="test",
                sequence=1,
                api_version="2026-11-01",
                data={"n": n},
            )
            for n in range(60)
        ]
        with transaction.atomic():
            sql.insert(events)
        keys = [event.pk for event in events]
        assert keys == sorted(keys) and len(set(keys)) == 60
        stored = dict(Event.objects.filter(pk__in=keys).values_list("object_id", "data"))
        assert stored == {f"obj_{n:03}": {"n": n} for n in range(60)}
