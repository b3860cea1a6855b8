"""The dated changes to the API inside v1, newest last (docs/versioning.md).

Each change is the small transform that turns the current shape of one API object back into the shape a client
pinned before ``version`` expects. Stored payloads (event data, idempotent replays) are always in the latest
shape; a partner's older version is produced only when a response or a webhook is rendered. A change that alters
a shape kept in the database ships a data migration that brings the stored rows to the new shape.

To add a change: write its ``downgrade`` (in place, on the rendered copy; it must also accept a partial object,
as in an event's ``previous_attributes``), append a ``Change`` with today's date, regenerate the schema, and
describe it in docs/versioning.md. The API always describes the latest version.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

#: The version every partner was pinned to before dated changes existed.
INITIAL_VERSION = "2026-11-01"

#: How long a version keeps being served, once a newer one ships, before its sunset date.
SUNSET_AFTER_DAYS = 180


@dataclass(frozen=True, slots=True)
class Change:
    """One dated change: clients pinned before ``version`` get ``object_name`` objects passed through
    ``downgrade``. ``title`` and ``description`` are what the portal and the docs show a partner deciding
    whether to upgrade."""

    version: str
    object_name: str
    title: str
    description: str
    downgrade: Callable[[dict[str, Any]], None]

    @property
    def released(self) -> date:
        return date.fromisoformat(self.version)


def _transfer_failure_flat(obj: dict[str, Any]) -> None:
    """``failure: {code, message} | null`` back to ``failure_code`` and ``failure_message``."""
    if "failure" not in obj:
        return
    failure = obj.pop("failure") or {}
    obj["failure_code"] = failure.get("code")
    obj["failure_message"] = failure.get("message")


CHANGES: tuple[Change, ...] = (
    Change(
        version="2026-12-07",
        object_name="transfer",
        title="A transfer's failure is one object",
        description=(
            "`failure_code` and `failure_message` of a transfer are replaced by `failure`: "
            '`{"code": "...", "message": "..."}` on a failed transfer and `null` otherwise, so one null check '
            "says whether it failed and both halves travel together (in responses and in `transfer.*` events)."
        ),
        downgrade=_transfer_failure_flat,
    ),
)
