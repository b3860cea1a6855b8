"""Redaction of what the request logs keep: secrets, card and account numbers and credentials are masked in
bodies, query strings and free text before a row is written (``apps.partners.request_logs``)."""

import functools
import json
import re
from typing import Any
from urllib.parse import quote, unquote_plus

MASK = "••••"

# --- Redaction --------------------------------------------------------------------------------------------------
# Field names are compared lower-cased without "_" and "-", so accessToken, access-token and access_token match.
_SECRET_NAME_PARTS = ("password", "passwd", "secret", "token", "authorization", "apikey", "privatekey")
_SECRET_NAMES = frozenset({"pin", "cvc", "cvv", "cvv2"})
_ACCOUNT_NAMES_LAST4 = frozenset({"accountnumber", "iban", "bban"})
_ACCOUNT_NAMES = frozenset({"sortcode", "routingnumber"})

_KEY = re.compile(r"cw_sk_(?:(sandbox|live)_)?([A-Za-z0-9_]*)")
_CLIENT_SECRET = re.compile(r"cw_cs_[A-Za-z0-9_]*")
_WEBHOOK_SECRET = re.compile(r"whsec_[A-Za-z0-9+/=_-]*")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
# Secret keys after a scheme are already masked (keeping their last four) by _KEY.
_AUTH_SCHEME = re.compile(r"(?i)\b(bearer|basic)(\s+)(?!cw_sk_)[A-Za-z0-9._~+/=-]{8,}")
# `name: value`, `"name": "value"` and `name=value` pairs in text that is not JSON (or inside JSON strings).
_NAMED_PAIR = re.compile(
    r"""(?P<q>["']?)(?P<name>[A-Za-z][A-Za-z0-9_-]{1,63})(?P=q)(?P<sep>\s*[:=]\s*)"""
    r"""(?P<value>"(?:[^"\\]|\\.)*(?:"|$)|[^\s&,;}\]"]+)"""
)
_IBAN = re.compile(r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
_CARD = re.compile(r"(?<![0-9A-Za-z])[0-9](?:[ -]?[0-9]){12,18}(?![0-9A-Za-z])")
# Something every pattern above needs: most strings (ids, names, enums) have none and skip the full pass.
_MAYBE_SENSITIVE = re.compile(
    r"cw_sk_|cw_cs_|whsec_|eyJ|(?i:bearer|basic)|[:=]|[0-9][ -]?[0-9][ -]?[0-9][ -]?[0-9]|[A-Z]{2}[0-9]{2}"
)


@functools.lru_cache(maxsize=2048)
def _field_kind(name: str) -> str | None:
    """``"last4"`` or ``"mask"`` for a field whose value must not be stored as is, else None."""
    normal = name.lower().replace("_", "").replace("-", "")
    if normal in _ACCOUNT_NAMES_LAST4:
        return "last4"
    if normal in _ACCOUNT_NAMES or normal in _SECRET_NAMES or any(part in normal for part in _SECRET_NAME_PARTS):
        return "mask"
    return None


def _mask_field(kind: str, value: Any) -> Any:
    if value is None or value == "":
        return value
    if kind == "last4" and isinstance(value, str | int) and not isinstance(value, bool):
        chars = re.sub(r"[^0-9A-Za-z]", "", str(value))
        return MASK + chars[-4:] if len(chars) > 4 else MASK
    return MASK


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"[^0-9]", "", match.group(0))
    return MASK + digits[-4:] if 13 <= len(digits) <= 19 and luhn_valid(digits) else match.group(0)


def _iban(match: re.Match[str]) -> str:
    chars = match.group(0).replace(" ", "")
    return MASK + chars[-4:] if 15 <= len(chars) <= 34 else match.group(0)


def _key(match: re.Match[str]) -> str:
    environment, body = match.group(1), match.group(2)
    prefix = f"cw_sk_{environment}_" if environment else "cw_sk_"
    # Only a whole key shows its last four (as the portal does); a fragment shows nothing.
    return prefix + MASK + (body[-4:] if len(body) >= 40 else "")


def _named_pair(match: re.Match[str]) -> str:
    head = match.group("q") + match.group("name") + match.group("q") + match.group("sep")
    value = match.group("value")
    quoted = value.startswith('"')
    kind = _field_kind(match.group("name"))
    if kind is None:
        # A quoted value may itself hold pairs ("note": "retry with password=...").
        return head + '"' + _NAMED_PAIR.sub(_named_pair, value[1:]) if quoted else match.group(0)
    masked = _mask_field(kind, value.strip('"') if quoted else value)
    return head + (f'"{masked}"' if quoted else str(masked))


def redact_text(text: str) -> str:
    """Mask every secret and account or card number this module recognises in free text."""
    if not text or not _MAYBE_SENSITIVE.search(text):
        return text
    # A pattern with a literal part (a prefix, the pair's separator) runs only on text that holds it: a timestamp
    # or an amount needs the full pass, but has none of them. Without the literal the pattern cannot match.
    if "cw_sk_" in text:
        text = _KEY.sub(_key, text)
    if "cw_cs_" in text:
        text = _CLIENT_SECRET.sub("cw_cs_" + MASK, text)
    if "whsec_" in text:
        text = _WEBHOOK_SECRET.sub("whsec_" + MASK, text)
    if "eyJ" in text:
        text = _JWT.sub(MASK, text)
    text = _AUTH_SCHEME.sub(lambda m: m.group(1) + m.group(2) + MASK, text)
    if ":" in text or "=" in text:
        text = _NAMED_PAIR.sub(_named_pair, text)
    text = _IBAN.sub(_iban, text)
    return _CARD.sub(_card, text)


def _redact_json(value: Any) -> Any:
    if isinstance(value, dict):
        redacted = {}
        for name, item in value.items():
            kind = _field_kind(name)
            redacted[name] = _mask_field(kind, item) if kind else _redact_json(item)
        return redacted
    if isinstance(value, list):
        return [_redact_json(item) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, int) and not isinstance(value, bool) and 13 <= len(str(abs(value))) <= 19:
        digits = str(abs(value))
        return MASK + digits[-4:] if luhn_valid(digits) else value
    return value


def redact_body(raw: bytes) -> str:
    """The body as text with secrets masked: field by field when it is JSON, by pattern otherwise."""
    text = raw.decode("utf-8", errors="replace")
    if text.lstrip()[:1] in ("{", "["):
        try:
            return json.dumps(_redact_json(json.loads(text)), ensure_ascii=False)
        except (ValueError, RecursionError):
            pass
    return redact_text(text)


def redact_query(query: str) -> str:
    """The query string with secret-named parameters masked and secrets in any value masked."""
    if not query:
        return query
    parts = []
    for part in query.split("&"):
        raw_name, sep, raw_value = part.partition("=")
        name, value = unquote_plus(raw_name), unquote_plus(raw_value)
        kind = _field_kind(name)
        redacted = str(_mask_field(kind, value)) if kind else redact_text(value)
        if redacted != value:
            raw_value = quote(redacted, safe="").replace(quote(MASK, safe=""), MASK)
        clean_name = redact_text(name)
        parts.append((quote(clean_name, safe="") if clean_name != name else raw_name) + sep + raw_value)
    return "&".join(parts)
