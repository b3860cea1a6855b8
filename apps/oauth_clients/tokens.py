"""The shapes of what the authorization server hands out, and how codes are kept.

Access tokens are ``cw_at_`` and refresh tokens ``cw_rt_`` followed by 43 base62 characters (about 256 random
bits), so a scanner can tell them apart from secret keys and the API can route a bearer credential without a
lookup. django-oauth-toolkit stores only their SHA-256 checksum (``COMPLIANT_BCP_RFC9700_TOKEN_STORAGE``).
Authorization codes are stored the same way: a ``Grant`` row holds ``code_digest(code)``, never the code.
"""

import hashlib
import re
from typing import Any

from apps.core.ids import random_base62

ACCESS_TOKEN_PREFIX = "cw_at_"
REFRESH_TOKEN_PREFIX = "cw_rt_"
_RANDOM_LENGTH = 43
# RFC 7636 section 4.1: 43 to 128 unreserved characters.
CODE_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
# An S256 challenge is an unpadded base64url SHA-256: exactly 43 characters.
S256_CHALLENGE = re.compile(r"[A-Za-z0-9\-_]{43}")


def new_access_token(request: Any = None) -> str:
    return ACCESS_TOKEN_PREFIX + random_base62(_RANDOM_LENGTH)


def new_refresh_token(request: Any = None) -> str:
    return REFRESH_TOKEN_PREFIX + random_base62(_RANDOM_LENGTH)


def looks_like_access_token(value: str) -> bool:
    return value.startswith(ACCESS_TOKEN_PREFIX)


def code_digest(code: str) -> str:
    """What a ``Grant`` stores for ``code``: its SHA-256, hex."""
    return "sha256:" + hashlib.sha256(code.encode("utf-8")).hexdigest()
