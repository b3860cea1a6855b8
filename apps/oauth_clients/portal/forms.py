"""Portal forms for apps. They parse what the browser sends (one redirect URI per line, scope checkboxes);
the rules themselves are enforced by the services, whose problems the views put back on these fields."""

from typing import Any

from django import forms
from oauth2_provider.settings import oauth2_settings

from apps.core.scopes import PARTNER_LEVEL, USER_DELEGATED
from apps.oauth_clients import validators

# Enough for the maximum number of URIs at their maximum length with CRLF line ends; anything longer is
# refused before it is split.
REDIRECT_URIS_FIELD_MAX_LENGTH = validators.REDIRECT_URIS_MAX * (validators.REDIRECT_URI_MAX_LENGTH + 2)


def _scope_choices() -> list[tuple[str, str]]:
    descriptions: dict[str, str] = oauth2_settings.SCOPES
    return [
        (scope, f"{scope}: {descriptions[scope]}" if descriptions.get(scope) else scope)
        for scope in sorted(USER_DELEGATED)
    ] + [
        (scope, f"{scope}: {descriptions.get(scope, scope)} (the app's own client-credentials tokens)")
        # offers:write and points:write are both: listed once, with the user-delegated ones.
        for scope in sorted(PARTNER_LEVEL - USER_DELEGATED)
    ]


class ApplicationForm(forms.Form):
    """The fields an app's owner can edit."""

    name = forms.CharField(
        max_length=validators.NAME_MAX_LENGTH,
        help_text="Shown to wallet holders on the consent screen. Unique in this environment.",
    )
    logo_url = forms.CharField(
        label="Logo URL",
        required=False,
        max_length=validators.LOGO_URL_MAX_LENGTH,
        help_text="Optional. An https URL of a square image.",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    redirect_uris = forms.CharField(
        label="Redirect URIs",
        max_length=REDIRECT_URIS_FIELD_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocapitalize": "off"}),
        help_text=(
            "One exact URI per line, up to 10. https only; in sandbox also http://localhost and "
            "http://127.0.0.1. No wildcards or fragments."
        ),
    )
    allowed_scopes = forms.MultipleChoiceField(
        label="Allowed scopes",
        choices=_scope_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The most a token of this app can ever be granted. Choose at least one.",
        error_messages={"required": "Choose at least one scope."},
    )

    def __init__(self, *args: Any, environment_kind: str = "sandbox", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if environment_kind == "live":
            self.fields["redirect_uris"].help_text = (
                "One exact URI per line, up to 10. Live apps use https on a public host (no localhost). "
                "No wildcards or fragments."
            )

    def clean_redirect_uris(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["redirect_uris"].splitlines() if line.strip()]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "logo_url": data["logo_url"],
            "redirect_uris": data["redirect_uris"],
            "allowed_scopes": data["allowed_scopes"],
        }


class ApplicationCreateForm(ApplicationForm):
    client_type = forms.ChoiceField(
        label="Client type",
        choices=[
            ("confidential", "Confidential: a server that can keep a client secret"),
            ("public", "Public: a mobile, desktop or single-page app (no secret)"),
        ],
        initial="confidential",
        widget=forms.RadioSelect,
        help_text="Every client must use PKCE (S256); public clients have no secret. This cannot be changed later.",
    )

    def service_arguments(self) -> dict[str, Any]:
        return {**super().service_arguments(), "confidential": self.cleaned_data["client_type"] == "confidential"}
