"""Field encryption for data the bank must keep but nobody should read in a dump: bank account details.

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) under a ``MultiFernet``: the **first** key of
``settings.FIELD_ENCRYPTION_KEYS`` encrypts, every listed key decrypts. Rotating is: put a new key first, keep
the old ones after it, re-encrypt (``reencrypt``), then drop the old keys. With no keys configured (development
and tests) one key is derived from ``SECRET_KEY`` with HKDF; production refuses to start without real keys,
because changing ``SECRET_KEY`` would otherwise make every stored account unreadable.

Plaintext is never logged and never part of an exception's text.
"""

import base64
import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# Changing this string changes the derived key: data encrypted under the old one would no longer decrypt.
_DERIVATION_INFO = b"causeway field encryption v1"


class DecryptionFailed(Exception):
    """The token was not made by any configured key, or it was altered. Carries no plaintext or key."""


def derive_key(secret: str) -> bytes:
    """A Fernet key (url-safe base64 of 32 bytes) derived from ``secret`` with HKDF-SHA256."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_DERIVATION_INFO).derive(secret.encode())
    return base64.urlsafe_b64encode(raw)


def configured_keys() -> list[bytes]:
    """The keys in use, newest (the encrypting one) first."""
    keys = [k.strip() for k in getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or [] if k and k.strip()]
    if keys:
        return [k.encode() if isinstance(k, str) else k for k in keys]
    return [derive_key(settings.SECRET_KEY)]


@lru_cache(maxsize=8)
def _multifernet(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _fernet() -> MultiFernet:
    # Keyed on the keys themselves, so a settings override (tests, a reload) takes effect at once.
    return _multifernet(tuple(configured_keys()))


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError):
        raise DecryptionFailed("The value could not be decrypted with any configured key.") from None


def encrypt_json(value: Any) -> str:
    return encrypt(json.dumps(value, separators=(",", ":"), sort_keys=True))


def decrypt_json(token: str) -> Any:
    return json.loads(decrypt(token))


def reencrypt(token: str) -> str:
    """The same plaintext under the current first key (``MultiFernet.rotate``); the original timestamp is kept."""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):
        raise DecryptionFailed("The value could not be decrypted with any configured key.") from None


def encrypted_with_current_key(token: str) -> bool:
    """Whether ``token`` decrypts with the first (encrypting) key alone: nothing to rotate."""
    try:
        Fernet(configured_keys()[0]).decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeError):
        return False
    return True
