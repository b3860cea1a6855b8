"""Filters every portal template may use without ``{% load %}`` (registered as a builtin in TEMPLATES):
readable UTC times and paths as a person reads them."""

from datetime import UTC, datetime
from urllib.parse import unquote, unquote_plus

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def when(value: datetime | None, precision: str = "seconds") -> str:
    """``<time>`` in UTC, ``2026-12-07 16:38:45`` (``"minutes"``: no seconds); the machine-readable value in
    ``datetime`` and the full instant in the tooltip. Empty for None. Never wraps (portal.css)."""
    if value is None:
        return ""
    moment = value.astimezone(UTC)
    shown = moment.strftime("%Y-%m-%d %H:%M" if precision == "minutes" else "%Y-%m-%d %H:%M:%S")
    return format_html('<time datetime="{}" title="{} UTC">{}</time>', moment.isoformat(), moment.isoformat(), shown)


@register.filter
def decoded_path(value: str | None) -> str:
    """A request path with its percent-escapes decoded (``/v1/wallets/wal_1%2F2`` -> ``/v1/wallets/wal_1/2``);
    escaped by the template like any text."""
    return unquote(value or "", errors="replace")


@register.filter
def decoded_query(value: str | None) -> str:
    """A query string decoded for reading (``+`` is a space, as a form sends it)."""
    return unquote_plus(value or "", errors="replace")
