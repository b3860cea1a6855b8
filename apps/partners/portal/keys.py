"""API keys in the portal: list the current environment's keys, create (optionally restricted and expiring),
revoke, and roll with a grace period for the old key.

A new secret is rendered once, in the response to the POST that created it: it is never stored (only its
digest is), never put in the session, and the page that shows it is marked ``no-store``. Forms post with htmx
where it is loaded (so reloading shows the empty form, not a resubmission) and work as plain forms without it.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views import View

from apps.core import clock
from apps.core.errors import ApplicationError
from apps.core.scopes import PARTNER_LEVEL, partner_level_for
from apps.partners.models import ApiKey, Environment
from apps.partners.portal.mixins import PortalContext, PortalMixin
from apps.partners.selectors.api_keys import API_KEY_EXPIRING_WINDOW, api_key_get, api_key_list
from apps.partners.services import IssuedKey, api_key_create, api_key_revoke, api_key_roll, audit

MAX_EXPIRY = timedelta(days=730)
GRACE_CHOICES = [
    ("0", "Now: revoke the old key at once"),
    ("3600", "1 hour"),
    ("86400", "24 hours"),
    ("259200", "3 days"),
    ("604800", "7 days"),
]
_SCOPE_HELP = {
    "consents:write": "Create and revoke wallet holders' consents.",
    "events:read": "Read the /v1/events feed.",
    "sandbox:write": "Run sandbox simulations and act on the sandbox holders' data.",
    "webhooks:write": "Manage webhook endpoints.",
}


def _scope_choices(scopes: frozenset[str]) -> list[tuple[str, str]]:
    return [(scope, f"{scope}: {_SCOPE_HELP.get(scope, '')}".rstrip(": ")) for scope in sorted(scopes)]


def key_status(api_key: ApiKey, *, now: datetime) -> str:
    """``revoked``, ``expired``, ``rolled`` (replaced, still in its grace period), ``expiring`` (within
    the expiring window) or ``active``."""
    if api_key.revoked_at is not None:
        return "revoked"
    if api_key.expires_at is not None and api_key.expires_at <= now:
        return "expired"
    if api_key.rolled_to_id is not None:
        return "rolled"
    if api_key.expires_at is not None and api_key.expires_at - now <= API_KEY_EXPIRING_WINDOW:
        return "expiring"
    return "active"


# --- Forms -----------------------------------------------------------------------------------------------------


class _ExpiryForm(forms.Form):
    expires_on = forms.DateField(
        required=False,
        label="Expires on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional. The key stops working at 00:00 UTC on this date, at most two years ahead. "
        "Leave empty for a key that does not expire.",
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["expires_on"].widget.attrs.update(
            min=(today + timedelta(days=1)).isoformat(), max=(today + MAX_EXPIRY).isoformat()
        )

    def clean_expires_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("expires_on")
        if value is None:
            return None
        if value <= self.today:
            raise forms.ValidationError("Choose a date in the future.")
        if value > self.today + MAX_EXPIRY:
            raise forms.ValidationError("Choose a date at most two years ahead.")
        return value

    @property
    def expires_at(self) -> datetime | None:
        value = self.cleaned_data.get("expires_on")
        return datetime.combine(value, time.min, tzinfo=UTC) if value else None


class ApiKeyCreateForm(_ExpiryForm):
    # The environment the member saw when the form was rendered: a switch in another tab (or a live
    # environment that is not open) must not silently create the key somewhere else.
    environment = forms.ChoiceField(choices=Environment.Kind.choices, widget=forms.HiddenInput)
    name = forms.CharField(max_length=100, help_text="What uses this key, e.g. “billing server”.")
    scopes = forms.MultipleChoiceField(
        required=False,
        label="Restrict to these permissions",
        choices=_scope_choices(PARTNER_LEVEL),
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave every box unchecked for a full key with every permission listed here.",
    )
    field_order = ["environment", "name", "scopes", "expires_on"]

    def __init__(self, *args: Any, portal: PortalContext, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"environment": portal.environment.kind})
        super().__init__(*args, **kwargs)
        self.portal = portal
        # Only the scopes a key of this environment can use: a live key is never offered sandbox:write.
        scopes = self.fields["scopes"]
        assert isinstance(scopes, forms.MultipleChoiceField)
        scopes.choices = _scope_choices(partner_level_for(portal.environment.kind))

    def clean_environment(self) -> str:
        kind: str = self.cleaned_data["environment"]
        if kind == self.portal.environment.kind:
            return kind
        if not any(e.kind == kind for e in self.portal.environments):
            raise forms.ValidationError(
                f"The {kind} environment is not open for this team: live keys can be created once live access "
                "is approved."
            )
        raise forms.ValidationError(
            f"You are now working in {self.portal.environment.kind}, not {kind}: reload the page and try again."
        )


class ApiKeyRollForm(_ExpiryForm):
    grace = forms.TypedChoiceField(
        choices=GRACE_CHOICES,
        coerce=lambda value: timedelta(seconds=int(value)),
        initial="86400",
        widget=forms.RadioSelect,
        label="Keep the old key working for",
        help_text="Time to deploy the new key everywhere; at most 7 days.",
    )
    field_order = ["grace", "expires_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].label = "New key expires on"


# --- Views -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyRow:
    key: ApiKey
    status: str

    @property
    def scopes(self) -> str:
        return ", ".join(sorted(self.key.scopes)) if self.key.scopes else "all"

    @property
    def manageable(self) -> bool:
        return self.status in ("active", "expiring", "rolled")


def _render(
    request: HttpRequest, page: str, partial: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """The partial for htmx requests, the full page otherwise; never cached (it may hold a secret)."""
    response = render(request, partial if request.htmx else page, context, status=status)  # type: ignore[attr-defined]
    add_never_cache_headers(response)
    return response


def _issued_context(request: HttpRequest, issued: IssuedKey, **extra: Any) -> dict[str, Any]:
    base_url = request.build_absolute_uri("/").rstrip("/")
    return {
        "issued": issued.api_key,
        "secret": issued.secret,
        "curl": f'curl -H "Authorization: Bearer {issued.secret}" {base_url}/v1/partner',
        **extra,
    }


class _KeyLookupMixin(PortalMixin):
    def get_key(self, key_id: str) -> ApiKey:
        api_key = api_key_get(partner=self.portal.partner, environment=self.portal.environment, public_id=key_id)
        if api_key is None:
            raise Http404("No such key in this environment.")
        return api_key


class KeyListView(PortalMixin, View):
    """The current environment's keys, newest first. Viewers see it too: it holds no secrets."""

    def get(self, request: HttpRequest) -> HttpResponse:
        now = clock.now()
        keys = api_key_list(partner=self.portal.partner, environment=self.portal.environment)
        rows = [KeyRow(key=api_key, status=key_status(api_key, now=now)) for api_key in keys]
        return render(request, "portal/keys/list.html", {"rows": rows})


class KeyCreateView(PortalMixin, View):
    required_permission = "manage_keys"
    page, partial = "portal/keys/create.html", "portal/keys/_create_form.html"

    def _form(self, data: Any = None) -> ApiKeyCreateForm:
        return ApiKeyCreateForm(data, portal=self.portal, today=clock.now().date())

    def get(self, request: HttpRequest) -> HttpResponse:
        return _render(request, self.page, self.partial, {"form": self._form()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return _render(request, self.page, self.partial, {"form": form}, status=400)
        environment = self.portal.environment
        try:
            with transaction.atomic():
                issued = api_key_create(
                    environment=environment,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    expires_at=form.expires_at,
                    created_by=request.user,
                )
                audit.record(
                    action="api_key.created",
                    partner=self.portal.partner,
                    request=request,
                    target=issued.api_key,
                    environment=environment,
                    metadata={
                        "name": issued.api_key.name,
                        "scopes": issued.api_key.scopes,
                        "expires_at": clock.rfc3339(issued.api_key.expires_at),
                    },
                )
        except ApplicationError as error:
            form.add_error(None, error.detail)
            return _render(request, self.page, self.partial, {"form": form}, status=error.status)
        context = _issued_context(request, issued, title="Key created")
        return _render(request, "portal/keys/issued.html", "portal/keys/_issued.html", context, status=201)


class KeyRevokeView(_KeyLookupMixin, View):
    required_permission = "manage_keys"

    def get(self, request: HttpRequest, key_id: str) -> HttpResponse:
        return render(request, "portal/keys/revoke.html", {"key": self.get_key(key_id)})

    def post(self, request: HttpRequest, key_id: str) -> HttpResponse:
        api_key = self.get_key(key_id)
        if api_key.revoked_at is not None:
            messages.info(request, f"{api_key.name or api_key.redacted} was already revoked.")
            return redirect("portal:keys-list")
        with transaction.atomic():
            api_key_revoke(api_key=api_key)
            audit.record(
                action="api_key.revoked",
                partner=self.portal.partner,
                request=request,
                target=api_key,
                environment=self.portal.environment,
                metadata={"name": api_key.name, "redacted": api_key.redacted},
            )
        messages.success(request, f"Revoked {api_key.name} ({api_key.redacted}): requests made with it now fail.")
        return redirect("portal:keys-list")


class KeyRollView(_KeyLookupMixin, View):
    required_permission = "manage_keys"
    page, partial = "portal/keys/roll.html", "portal/keys/_roll_form.html"

    def _form(self, data: Any = None) -> ApiKeyRollForm:
        return ApiKeyRollForm(data, today=clock.now().date())

    def _context(self, api_key: ApiKey, form: ApiKeyRollForm) -> dict[str, Any]:
        status = key_status(api_key, now=clock.now())
        return {"key": api_key, "form": form, "status": status, "rollable": status in ("active", "expiring")}

    def get(self, request: HttpRequest, key_id: str) -> HttpResponse:
        api_key = self.get_key(key_id)
        return _render(request, self.page, self.partial, self._context(api_key, self._form()))

    def post(self, request: HttpRequest, key_id: str) -> HttpResponse:
        api_key = self.get_key(key_id)
        form = self._form(request.POST)
        if not form.is_valid():
            return _render(request, self.page, self.partial, self._context(api_key, form), status=400)
        grace: timedelta = form.cleaned_data["grace"]
        try:
            with transaction.atomic():
                issued = api_key_roll(api_key=api_key, grace=grace, created_by=request.user, expires_at=form.expires_at)
                audit.record(
                    action="api_key.rolled",
                    partner=self.portal.partner,
                    request=request,
                    target=api_key,
                    environment=self.portal.environment,
                    metadata={
                        "name": api_key.name,
                        "rolled_to": issued.api_key.public_id,
                        "grace_seconds": int(grace.total_seconds()),
                        "old_key_expires_at": clock.rfc3339(api_key.expires_at),
                        "old_key_revoked": api_key.revoked_at is not None,
                        "expires_at": clock.rfc3339(issued.api_key.expires_at),
                    },
                )
        except ApplicationError as error:
            form.add_error(None, error.detail)
            return _render(request, self.page, self.partial, self._context(api_key, form), status=error.status)
        context = _issued_context(request, issued, title="Key rolled", old_key=api_key)
        return _render(request, "portal/keys/issued.html", "portal/keys/_issued.html", context, status=201)
