"""Dated API versions inside v1 (docs/versioning.md): the list of versions, which one a request is served in,
and the rendering of a payload for an older version.

A request is served in the version of its ``Causeway-Version`` header, else its partner's pinned version, else
the latest. Rendering for the latest version does nothing at all; for an older one the payload is copied and
each change newer than that version is applied, newest first, to every object of the type it names (inside
lists and event payloads too).
"""

from datetime import date, timedelta
from typing import Any

from apps.core.versioning.changes import CHANGES, INITIAL_VERSION, SUNSET_AFTER_DAYS, Change

HEADER = "Causeway-Version"

#: Every version the API serves, oldest first.
VERSIONS: tuple[str, ...] = (INITIAL_VERSION, *sorted({change.version for change in CHANGES}))
LATEST: str = VERSIONS[-1]
_KNOWN = frozenset(VERSIONS)


def latest() -> str:
    """The version a new partner is pinned to (a callable, for model defaults)."""
    return LATEST


def is_known(version: str) -> bool:
    return version in _KNOWN


def changes_since(version: str) -> list[Change]:
    """The changes a client pinned to ``version`` does not see yet, oldest first."""
    return [change for change in CHANGES if change.version > version]


def successor(version: str) -> str | None:
    """The version released right after ``version`` (None for the latest)."""
    index = VERSIONS.index(version)
    return VERSIONS[index + 1] if index + 1 < len(VERSIONS) else None


def deprecated_on(version: str) -> date | None:
    """The day a newer version replaced ``version`` (None for the latest)."""
    after = successor(version)
    return date.fromisoformat(after) if after else None


def sunset_on(version: str) -> date | None:
    """The day ``version`` stops being promised (None for the latest)."""
    deprecated = deprecated_on(version)
    return deprecated + timedelta(days=SUNSET_AFTER_DAYS) if deprecated else None


def _copy_downgraded(value: Any, changes: dict[str, list[Change]], version: str) -> Any:
    if isinstance(value, list):
        return [_copy_downgraded(item, changes, version) for item in value]
    if not isinstance(value, dict):
        return value
    out = {key: _copy_downgraded(item, changes, version) for key, item in value.items()}
    kind = out.get("object")
    if kind == "event":
        out["api_version"] = version
        data = out.get("data")
        inner = data.get("object") if isinstance(data, dict) else None
        previous = data.get("previous_attributes") if isinstance(data, dict) else None
        if isinstance(inner, dict) and isinstance(previous, dict):
            # The previous attributes are a partial object of the event's object type.
            for change in changes.get(inner.get("object", ""), ()):
                change.downgrade(previous)
    for change in changes.get(kind, ()) if isinstance(kind, str) else ():
        change.downgrade(out)
    return out


def render(data: Any, version: str) -> Any:
    """``data`` (in the latest shape) as a client pinned to ``version`` expects it. The latest version gets
    ``data`` itself, untouched; an older one gets a transformed copy (``data`` is never modified)."""
    if version == LATEST:
        return data
    by_object: dict[str, list[Change]] = {}
    for change in reversed(changes_since(version)):
        by_object.setdefault(change.object_name, []).append(change)
    if not by_object:
        return data
    return _copy_downgraded(data, by_object, version)


__all__ = [
    "CHANGES",
    "HEADER",
    "LATEST",
    "VERSIONS",
    "Change",
    "changes_since",
    "deprecated_on",
    "is_known",
    "latest",
    "render",
    "successor",
    "sunset_on",
]
