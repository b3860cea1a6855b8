"""Holder-level sign-in and consent rules (``WalletHolder.sign_in_code_required``, ``consent_lifetime_hours``):
a code at every consent-screen sign-in, never the sandbox's published one for a live holder; a consent lifetime
in hours instead of ``CONSENT_DEFAULT_DAYS``."""

from datetime import timedelta

import pytest
from django.core import mail

from apps.core import clock
from apps.oauth_clients.services.authorization import consent_authorize, consent_create
from apps.wallets.models import WalletHolder
from tests.oauth_clients import flow

pytestmark = pytest.mark.django_db


def _login(client, s, **extra):
    return client.post("/o/login/", {"username": s.username, "password": flow.PASSWORD, "next": "", **extra})


class TestSignInCodeRequired:
    def test_a_live_holder_gets_an_e_mailed_code_and_never_the_published_sandbox_one(self, client, s):
        WalletHolder.objects.filter(pk=s.holder.pk).update(
            environment="live", partner=None, email="ada@example.com", sign_in_code_required=True
        )

        published = _login(client, s, code="123456")  # no e-mailed code exists yet: only the sandbox's could match
        asked = _login(client, s)
        sent = mail.outbox[-1].body.split("Your code is ")[1][:6]
        right = _login(client, s, code=sent)

        assert published.status_code == 400 and "cw_holder" not in published.cookies
        assert asked.status_code == 200 and "e-mailed you" in asked.content.decode()
        assert "cw_holder" not in asked.cookies
        assert right.status_code == 302 and right.cookies["cw_holder"].value

    def test_without_the_rule_a_holder_signs_in_with_the_password(self, client, s):
        assert _login(client, s).status_code == 302


class TestConsentLifetimeHours:
    def test_a_consent_lasts_the_holders_hours(self, s):
        WalletHolder.objects.filter(pk=s.holder.pk).update(consent_lifetime_hours=23)
        s.holder.refresh_from_db()

        consent = consent_create(application=s.app, holder=s.holder, scopes=["accounts:read"])
        opened = consent.expires_at
        consent = consent_authorize(consent=consent, wallet_ids=[s.wallets[0].public_id])

        now = clock.now(environment=s.app.environment)
        assert opened <= now + timedelta(hours=23)
        assert now + timedelta(hours=22) < consent.expires_at <= now + timedelta(hours=23)

    def test_without_it_the_default_days(self, s, settings):
        consent = consent_create(application=s.app, holder=s.holder, scopes=["accounts:read"])
        consent = consent_authorize(consent=consent, wallet_ids=[s.wallets[0].public_id])

        now = clock.now(environment=s.app.environment)
        assert consent.expires_at > now + timedelta(days=settings.CONSENT_DEFAULT_DAYS - 1)
