"""Database guards for the ledger, per vendor.

- Entries are append-only: UPDATE is always refused; DELETE is refused unless the transaction turned on the
  sandbox-purge switch (``apps.wallets.ledger.sandbox_purge_allowed``).
- PostgreSQL also checks, at commit, that every journal has two or more entries summing to zero per currency
  (a deferred constraint trigger), so no code path can commit an unbalanced journal.

On PostgreSQL the switch is the transaction-local setting ``causeway.ledger_purge``; on SQLite it is the SQL
function ``causeway_ledger_purge_allowed()`` that each connection registers (apps/wallets/apps.py). Where the
function is missing, the trigger fails, which refuses the change: the safe default.
"""

from django.db import migrations

PG_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION wallets_entry_refuse_update() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'ledger entries are append-only: post a reversing journal instead'
            USING ERRCODE = 'restrict_violation';
    END; $$ LANGUAGE plpgsql;
    """,
    """
    CREATE OR REPLACE FUNCTION wallets_entry_refuse_delete() RETURNS trigger AS $$
    BEGIN
        IF current_setting('causeway.ledger_purge', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'ledger entries are append-only: post a reversing journal instead'
            USING ERRCODE = 'restrict_violation';
    END; $$ LANGUAGE plpgsql;
    """,
    """
    CREATE OR REPLACE FUNCTION wallets_journal_balanced() RETURNS trigger AS $$
    DECLARE
        unbalanced text;
        lines integer;
    BEGIN
        SELECT currency INTO unbalanced FROM wallets_entry WHERE journal_id = NEW.journal_id
            GROUP BY currency HAVING SUM(amount) <> 0 LIMIT 1;
        IF unbalanced IS NOT NULL THEN
            RAISE EXCEPTION 'journal % does not sum to zero in %', NEW.journal_id, unbalanced
                USING ERRCODE = 'check_violation';
        END IF;
        SELECT count(*) INTO lines FROM wallets_entry WHERE journal_id = NEW.journal_id;
        IF lines < 2 THEN
            RAISE EXCEPTION 'journal % has fewer than two entries', NEW.journal_id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END; $$ LANGUAGE plpgsql;
    """,
    "CREATE TRIGGER wallets_entry_no_update BEFORE UPDATE ON wallets_entry "
    "FOR EACH ROW EXECUTE FUNCTION wallets_entry_refuse_update();",
    "CREATE TRIGGER wallets_entry_no_delete BEFORE DELETE ON wallets_entry "
    "FOR EACH ROW EXECUTE FUNCTION wallets_entry_refuse_delete();",
    "CREATE CONSTRAINT TRIGGER wallets_entry_balanced AFTER INSERT ON wallets_entry "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wallets_journal_balanced();",
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS wallets_entry_balanced ON wallets_entry;",
    "DROP TRIGGER IF EXISTS wallets_entry_no_delete ON wallets_entry;",
    "DROP TRIGGER IF EXISTS wallets_entry_no_update ON wallets_entry;",
    "DROP FUNCTION IF EXISTS wallets_journal_balanced();",
    "DROP FUNCTION IF EXISTS wallets_entry_refuse_delete();",
    "DROP FUNCTION IF EXISTS wallets_entry_refuse_update();",
]
SQLITE_FORWARD = [
    """
    CREATE TRIGGER wallets_entry_no_update BEFORE UPDATE ON wallets_entry
    BEGIN
        SELECT RAISE(ABORT, 'ledger entries are append-only: post a reversing journal instead');
    END;
    """,
    """
    CREATE TRIGGER wallets_entry_no_delete BEFORE DELETE ON wallets_entry
    WHEN causeway_ledger_purge_allowed() = 0
    BEGIN
        SELECT RAISE(ABORT, 'ledger entries are append-only: post a reversing journal instead');
    END;
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS wallets_entry_no_delete;", "DROP TRIGGER IF EXISTS wallets_entry_no_update;"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(f"no ledger guards for {schema_editor.connection.vendor}")
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                # No parameters: PL/pgSQL's RAISE uses % for its own placeholders.
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("wallets", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_REVERSE, "sqlite": SQLITE_REVERSE}),
            hints={"model_name": "entry"},
            elidable=False,
        )
    ]
