"""The secret key format: ``cw_sk_<environment>_<40 random base62><6 base62 checksum>``.

The checksum (CRC32 of everything before it, base62) lets secret scanners and our own authentication tell a
real key from a typo or a truncated paste without a database lookup. Keys are compared only as SHA-256
digests, in constant time.
"""

import hashlib
import re
import zlib
from dataclasses import dataclass

from apps.core.ids import ALPHABET, random_base62

PREFIX = "cw_sk_"
BODY_LENGTH = 40
CHECKSUM_LENGTH = 6
ENVIRONMENTS = ("sandbox", "live")
_SHAPE = re.compile(rf"^cw_sk_(sandbox|live)_([0-9A-Za-z]{{{BODY_LENGTH}}})([0-9A-Za-z]{{{CHECKSUM_LENGTH}}})$")


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, rem = divmod(number, 62)
        digits.append(ALPHABET[rem])
    return "".join(reversed(digits))


def checksum(payload: str) -> str:
    return _base62(zlib.crc32(payload.encode()), CHECKSUM_LENGTH)


def generate(environment: str) -> str:
    if environment not in ENVIRONMENTS:
        raise ValueError(f"unknown environment {environment!r}")
    payload = f"{PREFIX}{environment}_{random_base62(BODY_LENGTH)}"
    return payload + checksum(payload)


@dataclass(frozen=True)
class ParsedKey:
    environment: str
    digest: str


def looks_like_key(value: str) -> bool:
    return value.startswith(PREFIX)


def parse(value: str) -> ParsedKey | None:
    """The key's environment and digest, or None when it is not a well-formed key with a valid checksum."""
    match = _SHAPE.match(value)
    if not match:
        return None
    payload = value[:-CHECKSUM_LENGTH]
    if checksum(payload) != match.group(3):
        return None
    return ParsedKey(environment=match.group(1), digest=digest(value))


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def redact(value: str) -> str:
    env = "sandbox" if value.startswith("cw_sk_sandbox_") else "live"
    return f"cw_sk_{env}_...{value[-4:]}"
