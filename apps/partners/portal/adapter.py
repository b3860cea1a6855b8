"""Account behaviour for the portal (django-allauth)."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request: Any, user: Any) -> None:
        # Members log in by e-mail; the username mirrors it so every path (portal, commands) finds them alike.
        user.username = (user.email or "").strip().lower()[:150]
