"""Django's PostgreSQL backend with a health check that costs no round trip while the connection is quiet.

With ``CONN_HEALTH_CHECKS`` Django checks a persistent connection once per request before using it, by running
``SELECT 1``: one round trip on every request (about 2 % of a transfer's CPU, docs/architecture.md, "The write
path on PostgreSQL"). An idle connection has nothing to read from the server unless the server has ended it (a
restart, ``pg_terminate_backend``, an idle timeout), which sends an error and closes the socket, or has something
else to say (a notice, a parameter change). So the check looks first: a socket with nothing to read is taken
as alive, and only one with something waiting gets Django's ``SELECT 1``, which tells the two apart. A server that
vanished without a word (a cut cable) is found by neither before the request's first statement fails.
"""

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed or self.connection.broken:
            return False
        try:
            waiting, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not waiting or super().is_usable()
