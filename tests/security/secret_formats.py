"""The shapes of Causeway's own credentials, written once: the repository's secrets scan (a detect-secrets plugin,
``make security``) and the leak test (tests/security/test_no_secret_at_rest.py) both look for them.

Each shape is the full credential, so a redacted form (``cw_sk_sandbox_...a1b2``) never matches. A test checks
that every generator's output matches its shape, so a change of format cannot make the scan blind.
"""

import re
from collections.abc import Iterable
from re import Pattern

from detect_secrets.plugins.base import RegexBasedDetector

SHAPES: dict[str, Pattern[str]] = {
    "secret key": re.compile(r"cw_sk_(?:sandbox|live)_[0-9A-Za-z]{46}(?![0-9A-Za-z])"),
    "access token": re.compile(r"cw_at_[0-9A-Za-z]{43}(?![0-9A-Za-z])"),
    "refresh token": re.compile(r"cw_rt_[0-9A-Za-z]{43}(?![0-9A-Za-z])"),
    "client secret": re.compile(r"cw_cs_[0-9A-Za-z]{48}(?![0-9A-Za-z])"),
    "webhook secret": re.compile(r"whsec_[0-9A-Za-z+/]{43}="),
}


def find(text: str) -> list[tuple[str, str]]:
    """Every ``(shape name, match)`` of a Causeway credential in ``text``."""
    return [(name, match.group(0)) for name, shape in SHAPES.items() for match in shape.finditer(text)]


class CausewayCredentialDetector(RegexBasedDetector):
    """detect-secrets plugin: a Causeway secret key, OAuth token, client secret or webhook secret."""

    secret_type = "Causeway credential"  # pragma: allowlist secret (a label)

    @property
    def denylist(self) -> Iterable[Pattern[str]]:
        return tuple(SHAPES.values())
