"""``manage.py create_partner --name "Acme Pay" --email dev@acme.test``: a partner, its sandbox, an owner and a
sandbox secret key (printed once)."""

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.core.accounts import email_address_record
from apps.partners.services import api_key_create, partner_create


class Command(BaseCommand):
    help = "Create a partner with its sandbox environment, an owner member and a sandbox secret key."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--name", required=True, help="The partner's name.")
        parser.add_argument("--email", required=True, help="The owner's e-mail (created if new).")
        parser.add_argument("--password", help="The owner's portal password (new users only; unusable if omitted).")
        parser.add_argument("--json", action="store_true", help="Print only JSON on stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        name, email = options["name"].strip(), options["email"].strip().lower()
        if not name:
            raise CommandError("--name must not be empty")
        User = get_user_model()
        with transaction.atomic():
            user = User.objects.filter(username=email).first()
            if user is None:
                user = User(username=email, email=email)
                if options["password"]:
                    user.set_password(options["password"])
                else:
                    user.set_unusable_password()
                user.save()
            # Unverified: the command cannot know the address is the owner's; they verify it from /accounts/email/.
            email_address_record(user=user, verified=False)
            partner = partner_create(name=name, owner=user, seed=True)
            issued = api_key_create(
                environment=partner.environments.get(kind="sandbox"), name="Default", created_by=user
            )
        result = {
            "partner": {"id": partner.public_id, "name": partner.name},
            "owner": email,
            "secret_key": issued.secret,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(f"Created partner {partner.public_id} ({partner.name}), owner {email}.")
            self.stdout.write(f"Sandbox secret key (shown once): {issued.secret}")
