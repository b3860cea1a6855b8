"""``manage.py migrate_all``: migrate every configured database and create the cache table where it belongs.

On the embedded default that is ``default`` and ``aux`` (the cache table lives in ``aux``); on PostgreSQL just
``default``. ``createcachetable`` alone only looks at one database, which is easy to get wrong.
"""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate every database and create the cache table."

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        for alias in settings.DATABASES:
            call_command("migrate", database=alias, interactive=False, verbosity=verbosity)
            call_command("createcachetable", database=alias, verbosity=verbosity)
