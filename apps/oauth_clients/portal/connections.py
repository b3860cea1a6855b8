"""The holder's dashboard, ``/account/connections/``: the apps the holder has connected (their authorized
consents), each with what it may do in plain words, the shared wallets, the approved payments and the expiry,
and a way to disconnect it (a confirmation page, then a POST with its CSRF token) that revokes the consent for
the holder.

The holder signs in as on the consent screen (``server.holder_session``: its own signed cookie, never the
portal's session, so a developer signed in to the portal is not a holder here); without a holder session these
pages send the holder to that sign-in (``/o/login/``) and back. Another holder's consent is a 404.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from apps.core.errors import ApplicationError, NotFound
from apps.oauth_clients.authorization_details import MandateSpec
from apps.oauth_clients.models import Consent, Mandate
from apps.oauth_clients.selectors import holder_connection_get, holder_connections
from apps.oauth_clients.server import holder_session
from apps.oauth_clients.server.consent import PLAIN_SCOPES
from apps.oauth_clients.services.consents import consent_revoke
from apps.wallets.models import WalletHolder
from apps.wallets.preferences import personalisation_set


@dataclass(frozen=True)
class Connection:
    """One connected app as the dashboard shows it."""

    consent: Consent
    scopes: list[str]
    wallets: list[Any]
    payments: list[str]
    expires_at: datetime


def _payment_words(mandate: Mandate) -> str:
    spec = MandateSpec(
        kind=mandate.kind,
        currency=mandate.currency,
        payee=mandate.payee,
        amount=mandate.amount,
        max_per_payment=mandate.max_per_payment,
        max_per_period=mandate.max_per_period,
        period=mandate.period,
        step_up_threshold=mandate.step_up_threshold,
        expires_at=mandate.expires_at,
    )
    words = spec.describe(mandate.payee_name)
    return f"{words} (used)" if mandate.used_at is not None else words


def _connection(consent: Consent) -> Connection:
    return Connection(
        consent=consent,
        scopes=[PLAIN_SCOPES.get(scope, scope) for scope in consent.scopes],
        wallets=sorted(consent.wallets.all(), key=lambda w: w.currency),
        payments=[_payment_words(m) for m in sorted(consent.mandates.all(), key=lambda m: m.pk)],
        expires_at=consent.expires_at,
    )


class _HolderView(View):
    holder: WalletHolder

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        session = holder_session.current(request)
        holder = session.holder() if session is not None else None
        if holder is None or holder.status == WalletHolder.Status.CLOSED:
            return redirect(f"{reverse('oauth2_provider:holder-login')}?{urlencode({'next': request.path})}")
        self.holder = holder
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class ConnectionListView(_HolderView):
    def get(self, request: HttpRequest) -> HttpResponse:
        holder = self.holder
        connections = [_connection(c) for c in holder_connections(holder=holder)]
        return render(request, "holders/connections.html", {"holder": holder, "connections": connections})


@method_decorator(never_cache, name="dispatch")
class ConnectionRevokeView(_HolderView):
    """GET: the confirmation page; POST: disconnect."""

    def _consent(self, holder: WalletHolder, consent_id: str) -> Consent:
        try:
            return holder_connection_get(holder=holder, consent_id=consent_id)
        except NotFound as missing:
            raise Http404(missing.detail) from missing

    def get(self, request: HttpRequest, consent_id: str) -> HttpResponse:
        holder = self.holder
        connection = _connection(self._consent(holder, consent_id))
        return render(request, "holders/connection_revoke.html", {"holder": holder, "connection": connection})

    def post(self, request: HttpRequest, consent_id: str) -> HttpResponse:
        consent = self._consent(self.holder, consent_id)
        try:
            consent_revoke(consent=consent, actor="holder", reason="holder_revoked")
        except ApplicationError as error:
            messages.error(request, f"{consent.application.name} was not disconnected: {error.detail}")
        else:
            messages.success(request, f"Disconnected {consent.application.name}. It can no longer reach your wallet.")
        return redirect("account:connections")


@method_decorator(never_cache, name="dispatch")
class PersonalisationView(_HolderView):
    """POST (with its CSRF token): turn the holder's spending insights and offers on or off, at once."""

    def post(self, request: HttpRequest) -> HttpResponse:
        enabled = request.POST.get("personalisation") == "on"
        personalisation_set(holder=self.holder, enabled=enabled)
        if enabled:
            messages.success(request, "Spending insights and offers are on. Turn them off here at any time.")
        else:
            messages.success(request, "Spending insights and offers are off: apps no longer see them for you.")
        return redirect("account:connections")
