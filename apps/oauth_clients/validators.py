"""The rules an OAuth client's fields must follow. Pure functions: each returns the problems it finds as
``{"field", "code", "message"}`` dicts (the API's ``errors[]`` shape) and never touches the database.
``apps.oauth_clients.services`` calls them and refuses to write when any problem is found; forms only show
what the services report.

Redirect URIs are matched exactly at authorization time (RFC 9700 section 2.1), so only exact, absolute URIs
are registered: no wildcards, no fragments, no credentials. Live apps use https on a public host. Sandbox apps
may also call back to a developer's machine over plain http, on exactly ``localhost`` or ``127.0.0.1``
(RFC 8252 section 7.3).
"""

import ipaddress
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from apps.core.scopes import PARTNER_LEVEL, USER_DELEGATED

NAME_MAX_LENGTH = 100
LOGO_URL_MAX_LENGTH = 500
REDIRECT_URI_MAX_LENGTH = 500
REDIRECT_URIS_MAX = 10
SANDBOX_HTTP_HOSTS = frozenset({"localhost", "127.0.0.1"})
FORBIDDEN_SCHEMES = frozenset({"javascript", "data", "file", "vbscript", "blob"})

Problem = dict[str, str]

_url_syntax = URLValidator(schemes=["https", "http"])


def _problem(field: str, code: str, message: str) -> Problem:
    return {"field": field, "code": code, "message": message}


def _has_unsafe_characters(value: str) -> bool:
    # Whitespace would split the URI in DOT's space-separated storage; control and non-ASCII characters
    # make two URIs that look alike compare differently; browsers read a backslash as a slash, so the host
    # they see is not the one we checked. Percent-encode instead.
    return any(not ("!" <= c <= "~") or c == "\\" for c in value)


def _is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _raw_host(netloc: str) -> str:
    """The host exactly as written (``urlsplit().hostname`` lower-cases it), without the port."""
    if netloc.startswith("["):
        return netloc[: netloc.find("]") + 1]
    return netloc.rsplit(":", 1)[0] if ":" in netloc else netloc


def redirect_uri_problem(uri: str, *, environment_kind: str) -> Problem | None:
    """The first thing wrong with one redirect URI for an app of ``environment_kind`` ("sandbox" or "live"),
    or None when it may be registered."""

    def refuse(code: str, message: str) -> Problem:
        return _problem("redirect_uris", code, f"{uri[:80]}: {message}")

    if not isinstance(uri, str) or not uri:
        return _problem("redirect_uris", "redirect_uri_invalid", "Each redirect URI must be a non-empty string.")
    if len(uri) > REDIRECT_URI_MAX_LENGTH:
        return refuse("redirect_uri_too_long", f"a redirect URI can be at most {REDIRECT_URI_MAX_LENGTH} characters.")
    if _has_unsafe_characters(uri):
        return refuse(
            "redirect_uri_invalid",
            "spaces, control and non-ASCII characters are not allowed (percent-encode them).",
        )
    if "*" in uri:
        return refuse("redirect_uri_wildcard", "wildcards are not allowed; register each exact URI.")
    if "#" in uri:
        return refuse("redirect_uri_fragment", "a redirect URI cannot have a fragment (#...).")
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return refuse("redirect_uri_invalid", "this is not a valid URI.")
    scheme = parts.scheme.lower()
    if scheme in FORBIDDEN_SCHEMES:
        return refuse("redirect_uri_scheme", f"{scheme}: URIs are not allowed.")
    if scheme and scheme not in ("https", "http"):
        return refuse("redirect_uri_scheme", "use https.")
    if not scheme or not parts.netloc or not uri.lower().startswith(f"{scheme}://"):
        return refuse("redirect_uri_not_absolute", "use an absolute URI such as https://example.com/callback.")
    if "@" in parts.netloc:
        return refuse("redirect_uri_userinfo", "a redirect URI cannot contain a user name or password.")
    if not uri.startswith(f"{scheme}://"):
        return refuse("redirect_uri_scheme", "write the scheme in lower case.")
    host = _raw_host(parts.netloc)
    if not parts.hostname or port == 0:
        return refuse("redirect_uri_invalid", "this is not a valid URI.")
    try:
        _url_syntax(uri)
    except ValidationError:
        return refuse("redirect_uri_invalid", "this is not a valid URI.")
    if environment_kind == "live":
        if scheme != "https":
            return refuse("redirect_uri_scheme", "live apps must use https.")
        if _is_loopback_host(host):
            return refuse("redirect_uri_localhost", "live apps cannot call back to localhost or a loopback address.")
        return None
    if scheme == "http" and host not in SANDBOX_HTTP_HOSTS:
        return refuse(
            "redirect_uri_scheme",
            "use https; plain http is allowed only for http://localhost and http://127.0.0.1 in sandbox.",
        )
    return None


def redirect_uris_problems(uris: Any, *, environment_kind: str) -> list[Problem]:
    """Problems with the whole list: 1 to ``REDIRECT_URIS_MAX`` distinct URIs, each valid."""
    if not isinstance(uris, list | tuple) or not all(isinstance(uri, str) for uri in uris):
        return [_problem("redirect_uris", "redirect_uris_invalid", "Redirect URIs must be a list of strings.")]
    if not uris:
        return [_problem("redirect_uris", "redirect_uris_required", "Enter at least one redirect URI.")]
    if len(uris) > REDIRECT_URIS_MAX:
        return [
            _problem("redirect_uris", "redirect_uris_too_many", f"Register at most {REDIRECT_URIS_MAX} redirect URIs.")
        ]
    problems = [p for uri in uris if (p := redirect_uri_problem(uri, environment_kind=environment_kind))]
    if len(set(uris)) != len(uris):
        problems.append(_problem("redirect_uris", "redirect_uris_duplicate", "Each redirect URI may be listed once."))
    return problems


def name_problems(name: Any) -> list[Problem]:
    if not isinstance(name, str) or not name.strip():
        return [_problem("name", "name_required", "Enter a name.")]
    if len(name) > NAME_MAX_LENGTH:
        return [_problem("name", "name_too_long", f"A name can be at most {NAME_MAX_LENGTH} characters.")]
    if any(not c.isprintable() for c in name):
        return [_problem("name", "name_invalid", "A name cannot contain control characters.")]
    return []


def logo_url_problems(logo_url: Any) -> list[Problem]:
    """Optional; when given, an https URL of at most ``LOGO_URL_MAX_LENGTH`` characters without credentials."""
    if logo_url == "":
        return []
    if not isinstance(logo_url, str):
        return [_problem("logo_url", "logo_url_invalid", "Enter a valid https URL.")]
    if len(logo_url) > LOGO_URL_MAX_LENGTH:
        return [
            _problem("logo_url", "logo_url_too_long", f"A logo URL can be at most {LOGO_URL_MAX_LENGTH} characters.")
        ]
    if not logo_url.startswith("https://"):
        return [_problem("logo_url", "logo_url_scheme", "The logo URL must start with https://.")]
    if _has_unsafe_characters(logo_url) or "@" in urlsplit(logo_url).netloc:
        return [_problem("logo_url", "logo_url_invalid", "Enter a valid https URL.")]
    try:
        URLValidator(schemes=["https"])(logo_url)
    except ValidationError:
        return [_problem("logo_url", "logo_url_invalid", "Enter a valid https URL.")]
    return []


def allowed_scopes_problems(scopes: Any) -> list[Problem]:
    """At least one scope, each user-delegated (what the code flow may ask a holder for) or partner-level (what
    the app's own client-credentials tokens may carry): the ceiling any token of the app can be granted.
    ``introspection`` is not for partners' apps (bank staff grant it to internal resource servers)."""
    if not isinstance(scopes, list | tuple | set | frozenset) or not all(isinstance(s, str) for s in scopes):
        return [_problem("allowed_scopes", "scopes_invalid", "Scopes must be a list of scope names.")]
    if not scopes:
        return [_problem("allowed_scopes", "scopes_required", "Choose at least one scope.")]
    unknown = sorted(set(scopes) - USER_DELEGATED - PARTNER_LEVEL)
    if unknown:
        return [
            _problem(
                "allowed_scopes",
                "scopes_invalid",
                f"Apps can only be allowed user-delegated and partner-level scopes "
                f"({', '.join(sorted(USER_DELEGATED | PARTNER_LEVEL))}); "
                f"not {', '.join(repr(s[:40]) for s in unknown[:5])}.",
            )
        ]
    return []


def application_problems(
    *,
    environment_kind: str,
    name: Any,
    logo_url: Any,
    redirect_uris: Sequence[str],
    allowed_scopes: Any,
) -> list[Problem]:
    """Every problem with an app's editable fields, in field order."""
    return [
        *name_problems(name),
        *logo_url_problems(logo_url),
        *redirect_uris_problems(redirect_uris, environment_kind=environment_kind),
        *allowed_scopes_problems(allowed_scopes),
    ]
