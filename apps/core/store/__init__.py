"""The row store: how the money path's rows reach the database, behind one call.

``write(Insert(...), Update(...), ...)`` writes unsaved instances and changed fields of saved ones, in the order
given, and leaves the instances as ``save()`` would (keys set, no longer adding). It is the only code on the money
path that builds INSERT and UPDATE statements by hand; domain code hands it model instances and field names.

How it writes, the same way on both databases:

1. **Keys first.** Every unsaved instance gets its primary key before any row is written, drawn from its table's
   sequence in one statement for the whole write. A row that points at another new row (an entry at its journal)
   then simply carries that key: no row ever refers to another by its position in a batch.
2. **One fixed statement per model.** Each ``Insert`` is one multi-row ``INSERT ... VALUES`` (its text depends
   only on the model and the number of rows, so it is built once and prepared); each ``Update`` is one
   ``UPDATE ... WHERE "id" = %s`` per instance, with extra conditions for a guarded update.
3. **One round trip on PostgreSQL.** The statements are sent as the parts of one ``WITH`` statement (route
   ``statement``); elsewhere (SQLite, or ``STORE_ROUTE = "sequential"``) they run one after the other. Both routes
   run the same statements with the same parameters and give the same results; tests run the store's behaviour
   through both on PostgreSQL. (A psycopg pipeline was measured as a third route and cost more Python time than
   either: docs/performance.md.)

Two things an ORM save cannot do in one statement, declared rather than written by callers:

- ``Numbered``: a column numbered per group of rows (an event's per-object ``sequence``): each new row takes the
  last stored value of its group plus its place among this write's rows of that group, computed in the insert
  itself and read back onto the instance. The writer must hold the lock that serialises the group's writers (the
  unique constraint that should back such a column catches any that do not).
- ``Update(guard=..., on_miss=...)``: an update that must find its row in a given state (an idempotency record
  still held by this request); ``on_miss()`` is raised when it does not, which rolls the caller's transaction back.

Rules for callers: call it inside the transaction the rows belong to; a database error is raised by ``write``
itself; bypassing ``save()``, it sends no model signals, so it is for the plain rows of the money path (none of
which use signals).
"""

from apps.core.store.changes import Increment, Insert, Numbered, Update, new
from apps.core.store.compiled import Compiled, compile, run
from apps.core.store.writing import SEQUENTIAL, STATEMENT, route, write

__all__ = [
    "SEQUENTIAL",
    "STATEMENT",
    "Compiled",
    "Increment",
    "Insert",
    "Numbered",
    "Update",
    "compile",
    "new",
    "route",
    "run",
    "write",
]
