"""Public ids: a type prefix and 24 random base62 characters (~143 bits), e.g. ``wal_3fK9...``.

Internal primary keys never leave the process; every object is addressed by its public id.
"""

import secrets
import string

ALPHABET = string.digits + string.ascii_letters
RANDOM_LENGTH = 24


def random_base62(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_public_id(prefix: str) -> str:
    return f"{prefix}_{random_base62(RANDOM_LENGTH)}"


def looks_like(public_id: str, prefix: str) -> bool:
    head, _, tail = public_id.partition("_")
    return head == prefix and len(tail) == RANDOM_LENGTH and all(c in ALPHABET for c in tail)
