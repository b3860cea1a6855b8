from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        from apps.wallets.ledger import sqlite_purge_allowed

        connection.connection.create_function("causeway_ledger_purge_allowed", 0, sqlite_purge_allowed)


class WalletsConfig(AppConfig):
    name = "apps.wallets"
    label = "wallets"

    def ready(self) -> None:
        from apps.core.metrics import register_collector
        from apps.wallets.metrics import collect_reconciliation

        register_collector(collect_reconciliation)
        connection_created.connect(_register_sqlite_functions, dispatch_uid="wallets_sqlite_functions")
