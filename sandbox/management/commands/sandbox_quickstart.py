"""``manage.py sandbox_quickstart [--json]``: the demo partner's login, a fresh sandbox key and OAuth client, and
the personas of its sandbox (seeded on the first run).

With ``--json`` only JSON goes to stdout (logs go to stderr), for scripts:
``KEY=$(python manage.py sandbox_quickstart --json | jq -r .secret_key)``.
"""

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sandbox.quickstart import quickstart


class Command(BaseCommand):
    help = "Create or refresh the demo sandbox partner and print its credentials."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="Print only JSON on stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SANDBOX_QUICKSTART_ENABLED:
            raise CommandError("sandbox_quickstart is disabled in this deployment (SANDBOX_QUICKSTART_ENABLED).")
        # Progress goes to stderr: with --json, stdout carries the JSON document only.
        data = quickstart(notify=self.stderr.write).as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
            return
        self.stdout.write(f"Portal login:      {data['portal']['email']} / {data['portal']['password']}")
        self.stdout.write(f"Sandbox secret key: {data['secret_key']}")
        self.stdout.write(
            f"OAuth client:      {data['oauth_client']['client_id']} / {data['oauth_client']['client_secret']}"
        )
        for persona in data["personas"]:
            wallets = ", ".join(f"{w['currency']} {w['id']}" for w in persona["wallets"])
            self.stdout.write(f"Persona:           {persona['username']} / {persona['password']} ({wallets})")
        for account in data["staff"]["accounts"]:
            self.stdout.write(f"Bank staff:        {account['username']} / {account['password']}")
        self.stdout.write(
            f"First call:        curl -H 'Authorization: Bearer {data['secret_key']}' {data['base_url']}/v1/partner"
        )
