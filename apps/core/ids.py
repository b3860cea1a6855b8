"""Public ids: a type prefix and 24 random base62 characters (~143 bits), e.g. ``wal_3fK9...``.

Internal primary keys never leave the process; every object is addressed by its public id.
"""

import secrets
import string

ALPHABET = string.digits + string.ascii_letters
RANDOM_LENGTH = 24


# Bytes 248-255 are dropped so that ``byte % 62`` stays uniform.
_TABLE = bytes(ord(ALPHABET[b % len(ALPHABET)]) if b < 248 else 0 for b in range(256))
_REJECTED = bytes(range(248, 256))


def random_base62(length: int) -> str:
    """``length`` uniform base62 characters from the OS's CSPRNG, drawn in one call (one ``secrets.choice`` per
    character is one system call each: a transfer makes a dozen ids, and that was a measurable share of it)."""
    chars = b""
    while len(chars) < length:
        chars += secrets.token_bytes(length - len(chars) + length // 16 + 4).translate(_TABLE, _REJECTED)
    return chars[:length].decode("ascii")


def new_public_id(prefix: str) -> str:
    return f"{prefix}_{random_base62(RANDOM_LENGTH)}"


def looks_like(public_id: str, prefix: str) -> bool:
    head, _, tail = public_id.partition("_")
    return head == prefix and len(tail) == RANDOM_LENGTH and all(c in ALPHABET for c in tail)


def new_public_ids(prefix: str, count: int) -> list[str]:
    """``count`` public ids in the format of ``new_public_id`` (24 uniform base62 characters from
    the OS's CSPRNG), drawn in one batch for bulk inserts (apps.wallets.bulk)."""
    need = count * RANDOM_LENGTH
    text = random_base62(need)
    return [f"{prefix}_{text[i : i + RANDOM_LENGTH]}" for i in range(0, need, RANDOM_LENGTH)]
