"""``manage.py createsuperuser``: Django's command, plus the new user's e-mail address record
(``apps.core.accounts.email_address_record``), unverified: the command cannot know the address is the
operator's, so it is verified from ``/accounts/email/`` like any other before two-factor can be set up.

``apps.core`` is listed before ``django.contrib.auth`` in ``INSTALLED_APPS`` so this command is the one run."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser

from apps.core.accounts import email_address_record


class Command(createsuperuser.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model()._default_manager.db_manager(options["database"])
        last = users.order_by("-pk").values_list("pk", flat=True).first() or 0
        super().handle(*args, **options)
        for user in users.filter(pk__gt=last, is_superuser=True):
            email_address_record(user=user, verified=False)
