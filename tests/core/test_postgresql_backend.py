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
