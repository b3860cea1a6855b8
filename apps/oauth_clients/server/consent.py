"""The authorization endpoint (``/o/authorize/``): the holder's sign-in, the optional one-time code and the
consent screen.

GET validates the request (client, exact redirect URI, ``response_type=code``, scopes within the app's
ceiling, PKCE with S256, ``authorization_details``); a request that cannot be trusted to redirect (unknown
client, unregistered redirect URI) gets an error page, anything else wrong goes back to the client as an error
redirect with ``state`` and ``iss``. Without a holder session it sends the holder to ``/o/login/`` (or answers
``login_required`` for ``prompt=none``). Then it shows the app, the scopes and payments asked for in plain
words, and the holder's wallets to choose from.

POST (to the same URL, so the request is validated again from its own query string) approves or denies:
approval opens the consent and authorizes it (``services.authorization``), then issues the code bound to it;
denial records a ``rejected`` consent and redirects with ``access_denied``.
"""

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from oauth2_provider.exceptions import FatalClientError, OAuthToolkitError
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views.mixins import OAuthLibMixin

from apps.core.errors import ApplicationError
from apps.oauth_clients import authorization_details, tokens
from apps.oauth_clients.models import Application, Consent, Mandate
from apps.oauth_clients.server import holder_session
from apps.oauth_clients.services.authorization import (
    consent_authorize,
    consent_create,
    consent_reject,
    holder_may_consent,
    payee_name,
)
from apps.wallets.models import Wallet, WalletHolder

# What each scope lets the app do, in the holder's words.
PLAIN_SCOPES = {
    "accounts:read": "See your name and your wallets",
    "balances:read": "See your wallet balances",
    "transactions:read": "See your wallet transactions",
    "transfers:read": "See your transfers",
    "transfers:write": "Move money from your wallets, within the payments you approve here",
    "insights:read": "Use your spending for insights (this turns on spending insights and offers for you)",
    "offers:read": "Show you offers based on your spending (this turns on spending insights and offers for you)",
    "offers:write": "Save offers to your wallet (this turns on spending insights and offers for you)",
    "points:write": "Redeem your loyalty points into the app's own programme",
}


def _error_redirect(
    request: HttpRequest, redirect_uri: str, error: str, description: str, state: str | None, app: Application
) -> HttpResponse:
    params = {"error": error, "error_description": description}
    if state:
        params["state"] = state
    params["iss"] = oauth2_settings.oauth2_authorization_server_issuer(request)
    separator = "&" if "?" in redirect_uri else "?"
    return OAuth2ResponseRedirect(f"{redirect_uri}{separator}{urlencode(params)}", app.get_allowed_schemes())


def _error_page(request: HttpRequest, error: str, description: str, status: int = 400) -> HttpResponse:
    return render(request, "oauth/error.html", {"error": error, "description": description}, status=status)


@method_decorator(never_cache, name="dispatch")
class AuthorizeView(OAuthLibMixin, View):
    def _validated(self, request: HttpRequest) -> tuple[Any, ...] | HttpResponse:
        """(scopes, credentials, application, mandates) for a sound request, or the response refusing it."""
        try:
            scopes, credentials = self.validate_authorization_request(request)
        except FatalClientError as exc:
            # The client or its redirect URI cannot be trusted: show the error, never redirect.
            error = exc.oauthlib_error
            return _error_page(request, error.error, error.description or "The request is not valid.")
        except OAuthToolkitError as exc:
            error = exc.oauthlib_error
            app = Application.objects.filter(client_id=request.GET.get("client_id", "")).first()
            if error.redirect_uri and app is not None:
                return _error_redirect(
                    request, error.redirect_uri, error.error, error.description or "", request.GET.get("state"), app
                )
            return _error_page(request, error.error, error.description or "The request is not valid.")
        app = Application.objects.select_related("environment", "partner").get(client_id=credentials["client_id"])
        redirect_uri, state = credentials["redirect_uri"], credentials.get("state")
        challenge = credentials.get("code_challenge") or ""
        if credentials.get("code_challenge_method") != "S256" or not tokens.S256_CHALLENGE.fullmatch(challenge):
            return _error_redirect(
                request, redirect_uri, "invalid_request", "PKCE is required: code_challenge_method=S256.", state, app
            )
        try:
            mandates = authorization_details.parse(request.GET.get("authorization_details"))
        except authorization_details.DetailsInvalid as exc:
            return _error_redirect(request, redirect_uri, "invalid_authorization_details", str(exc)[:300], state, app)
        if mandates and "transfers:write" not in scopes:
            return _error_redirect(
                request,
                redirect_uri,
                "invalid_authorization_details",
                "Payment authorisations need the transfers:write scope.",
                state,
                app,
            )
        return scopes, credentials, app, mandates

    def _prepare(self, request: HttpRequest) -> "_Pending | HttpResponse":
        """The validated request with its signed-in holder, or the response that ends it here: an error, the
        sign-in page, or for ``prompt=none`` (never a page) ``login_required``/``consent_required``."""
        validated = self._validated(request)
        if isinstance(validated, HttpResponse):
            return validated
        scopes, credentials, app, mandates = validated
        session = holder_session.current(request)
        holder = session.holder() if session else None
        if "none" in request.GET.get("prompt", "").split():
            error, description = (
                ("login_required", "The holder is not signed in.")
                if holder is None
                else ("consent_required", "The holder must approve this app.")
            )
            return _error_redirect(
                request, credentials["redirect_uri"], error, description, credentials.get("state"), app
            )
        if session is None or holder is None:
            return redirect(f"{reverse('oauth2_provider:holder-login')}?{urlencode({'next': request.get_full_path()})}")
        if not holder_may_consent(application=app, holder=holder):
            return _error_page(request, "access_denied", "This account cannot connect to this app.", status=403)
        return _Pending(scopes, credentials, app, mandates, session, holder)

    def get(self, request: HttpRequest) -> HttpResponse:
        pending = self._prepare(request)
        if isinstance(pending, HttpResponse):
            return pending
        needs_code = _needs_code(pending.mandates) and not pending.session.code_is_fresh()
        if needs_code:
            holder_session.send_code(pending.holder)
        return self._screen(
            request, pending.app, pending.holder, pending.scopes, pending.mandates, needs_code=needs_code
        )

    def _screen(
        self,
        request: HttpRequest,
        app: Application,
        holder: Any,
        scopes: list[str],
        mandates: list[Any],
        *,
        needs_code: bool,
        error: str = "",
        status: int = 200,
    ) -> HttpResponse:
        wallets = Wallet.objects.filter(holder=holder).exclude(status=Wallet.Status.CLOSED).order_by("pk")
        described = []
        for spec in mandates:
            name = ""
            if spec.payee:
                # Payee existence is checked on approval; the screen shows who it is when it can.
                name = _payee_label(app, holder, spec.payee)
            described.append(spec.describe(name))
        return render(
            request,
            "oauth/authorize.html",
            {
                "application": app,
                "holder": holder,
                "scopes": [(s, PLAIN_SCOPES.get(s, s)) for s in scopes],
                "wallets": wallets,
                "mandates": described,
                "needs_code": needs_code,
                "error": error,
                "action": request.get_full_path(),
            },
            status=status,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        pending = self._prepare(request)
        if isinstance(pending, HttpResponse):
            return pending
        scopes, credentials, app, mandates = pending.scopes, pending.credentials, pending.app, pending.mandates
        session, holder = pending.session, pending.holder
        if request.POST.get("decision") != "approve":
            consent_reject(consent=consent_create(application=app, holder=holder, scopes=scopes))
            return _error_redirect(
                request, credentials["redirect_uri"], "access_denied", "The holder denied the request.",
                credentials.get("state"), app,
            )  # fmt: skip
        response_cookie: holder_session.HolderSession | None = None
        if _needs_code(mandates) and not session.code_is_fresh():
            if not holder_session.verify_code(holder, request.POST.get("code", "")):
                return self._screen(
                    request, app, holder, scopes, mandates, needs_code=True,
                    error="That code is not right (or has expired). Try again.", status=400,
                )  # fmt: skip
            response_cookie = holder_session.HolderSession(
                user_id=int(holder.user_id or 0), code_verified_at=time.time()
            )
        # The consent, its approval and the code bound to it are written together, or not at all: a holder
        # who fixes a mistake on the screen leaves no half-made consent behind.
        try:
            with transaction.atomic():
                consent = consent_create(application=app, holder=holder, scopes=scopes)
                consent = consent_authorize(
                    consent=consent, wallet_ids=request.POST.getlist("wallets"), scopes=scopes, mandates=mandates
                )
                credentials["consent"] = consent
                request.user = holder.user  # type: ignore[assignment]  # the holder's user owns the code
                uri, _headers, _body, _status = self.create_authorization_response(
                    request=request, scopes=" ".join(scopes), credentials=credentials, allow=True
                )
        except ApplicationError as exc:
            message = "; ".join(e["message"] for e in exc.errors) or exc.detail
            screen = self._screen(request, app, holder, scopes, mandates, needs_code=False, error=message, status=400)
            if response_cookie is not None:
                holder_session.save(screen, response_cookie)  # the code was right: not asked again
            return screen
        except OAuthToolkitError as exc:
            error = exc.oauthlib_error
            return _error_redirect(
                request,
                credentials["redirect_uri"],
                error.error,
                error.description or "",
                credentials.get("state"),
                app,
            )
        response = OAuth2ResponseRedirect(uri, app.get_allowed_schemes())
        if response_cookie is not None:
            holder_session.save(response, response_cookie)
        return response


@dataclass(frozen=True)
class _Pending:
    scopes: list[str]
    credentials: dict[str, Any]
    app: Application
    mandates: list[Any]
    session: holder_session.HolderSession
    holder: WalletHolder


def _needs_code(mandates: list[Any]) -> bool:
    # A single payment is approved one payment at a time: always with the holder's one-time code.
    return any(spec.kind == Mandate.Kind.SINGLE_PAYMENT for spec in mandates)


def _payee_label(app: Application, holder: Any, payee: str) -> str:
    probe = Consent(partner_id=app.partner_id, environment=app.environment, holder=holder)
    return payee_name(consent=probe, payee=payee) or payee


@method_decorator(never_cache, name="dispatch")
class HolderLoginView(View):
    """``/o/login/``: a holder signs in for the consent screen. Holders with an authenticator app confirm
    with its code, and holders with ``sign_in_code_required`` with an e-mailed one (``needs_sign_in_code``).
    Success sets the holder cookie and returns to ``next`` (an ``/o/authorize/`` URL, or the holder's
    dashboard, only)."""

    def _next(self, request: HttpRequest) -> str:
        target = request.POST.get("next") or request.GET.get("next") or ""
        allowed = (reverse("oauth2_provider:authorize"), reverse("account:connections"))
        return target if target.startswith(allowed) else allowed[0]

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "oauth/login.html", {"next": self._next(request), "step": "password"})

    def post(self, request: HttpRequest) -> HttpResponse:
        target = self._next(request)
        holder = holder_session.authenticate_holder(request.POST.get("username", ""), request.POST.get("password", ""))
        if holder is None:
            return render(
                request,
                "oauth/login.html",
                {"next": target, "step": "password", "error": "Wrong username or password."},
                status=400,
            )
        code_verified_at = None
        if holder_session.needs_sign_in_code(holder):
            code = request.POST.get("code")
            authenticator = holder_session.has_authenticator(holder)
            if not code and not authenticator:
                holder_session.send_code(holder)  # the password step: e-mail a code for the next one
            if not code or not holder_session.verify_code(holder, code):
                return render(
                    request,
                    "oauth/login.html",
                    {
                        "next": target,
                        "step": "code",
                        "authenticator": authenticator,
                        "username": request.POST.get("username", ""),
                        "error": "That code is not right (or has expired). Try again." if code else "",
                    },
                    status=400 if code else 200,
                )
            code_verified_at = time.time()
        response = redirect(target)
        holder_session.save(
            response, holder_session.HolderSession(user_id=int(holder.user_id or 0), code_verified_at=code_verified_at)
        )
        return response


class HolderLogoutView(View):
    def post(self, request: HttpRequest) -> HttpResponse:
        response = render(request, "oauth/error.html", {"error": "signed_out", "description": "You are signed out."})
        holder_session.clear(response)
        return response
