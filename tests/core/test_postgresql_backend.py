"""The PostgreSQL backend's health check (apps.core.postgresql): no round trip while the connection is quiet, and a
connection the server ended is found and replaced."""

import select
import time
from unittest import mock

import psycopg
import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def other():
    """A second connection to the test database, as a request thread would hold one."""
    handler = ConnectionHandler({"default": dict(connection.settings_dict)})
    wrapper = handler["default"]
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


@pytest.fixture
def admin():
    """A plain autocommit connection, outside the test's transaction, to end or signal the other one."""
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"], autocommit=True
    ) as conn:
        yield conn


def _wait_readable(wrapper, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if select.select([wrapper.connection.fileno()], [], [], 0.05)[0]:
            return
    raise AssertionError("the server said nothing")


def test_it_is_this_projects_backend(other):
    assert type(other).__module__ == "apps.core.postgresql.base"


def test_a_quiet_connection_is_usable_without_a_round_trip(other):
    with mock.patch.object(other.connection, "cursor", side_effect=AssertionError("a round trip")):
        assert other.is_usable() is True


def test_a_connection_the_server_ended_is_unusable_and_replaced(other, admin):
    pid = other.connection.info.backend_pid
    admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    _wait_readable(other)
    assert other.is_usable() is False
    other.health_check_enabled, other.health_check_done = True, False
    other.close_if_health_check_failed()
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_a_connection_with_something_else_to_read_is_asked_and_kept(other, admin):
    other.connection.execute("LISTEN causeway_health")
    admin.execute("NOTIFY causeway_health")
    _wait_readable(other)
    with mock.patch.object(other.connection, "cursor", wraps=other.connection.cursor) as cursor:
        assert other.is_usable() is True
    cursor.assert_called_once()  # Django's SELECT 1


# --- jsonb values are written with orjson, and read back as json.dumps would have stored them ---------------------
@pytest.mark.parametrize(
    "value",
    [
        {"amount": 100, "currency": "USD", "nested": {"list": [1, 2.5, None, True, "ünïcødé ✓"]}},
        {1: "int key", "2": "text key"},
        {"big": 2**70, "negative": -(2**65)},  # over orjson's 64 bits: json.dumps writes it
        ["a", {"b": []}, "", "line\nbreak", "\u2028"],
    ],
)
def test_jsonb_values_read_back_as_the_standard_encoder_stores_them(value):
    import json

    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::jsonb, %s::jsonb", [connection.ops.adapt_json_value(value, None), json.dumps(value)])
        written, reference = cursor.fetchone()  # as text: Django's connection leaves jsonb unparsed
    assert json.loads(written) == json.loads(reference) == json.loads(json.dumps(value))


def test_a_jsonb_value_neither_encoder_can_write_is_refused_as_before():
    import datetime

    from apps.core.postgresql.base import json_dumps

    with pytest.raises(TypeError):
        json_dumps({"at": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)})
    assert json_dumps({"a": 1}) == b'{"a":1}'  # orjson's bytes on the common path
    assert json_dumps({"a": 2**70}) == '{"a": 1180591620717411303424}'  # the standard encoder's text
