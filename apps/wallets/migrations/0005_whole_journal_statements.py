"""The zero-sum guard, checked per statement for statements that write balanced sets of entries (PostgreSQL only).

Until now every inserted entry queued one deferred check of its journal (two queries each, at commit): for a
bulk history import of 720,000 entries that is 1.4 million queries at commit. A statement whose entries balance
on their own, journal by journal (the bulk import's ``COPY`` of whole journals), now says so with the
transaction-local setting ``causeway.ledger_whole_journals = 'on'`` (``apps.wallets.ledger.whole_journals``).
Its rows then queue no deferred check; instead a statement-level trigger checks, with one set-based query over
the statement's own rows (its transition table: no lookup in the entry table, so the cost does not grow with the
book), that for every journal they touch they sum to zero per currency and number two or more. Any other insert
is checked exactly as before.

Why that keeps the guarantee (every committed journal has two or more entries summing to zero per currency):
entries are append-only, so at commit a journal is what it was when last committed (balanced) plus what this
transaction added. If any of that came with the setting off, its deferred check looks at the whole journal at
commit, as before; otherwise every part was added by statements whose own rows balance for that journal, so the
sum stays zero, and each such part has two entries or more. The setting cannot let an unbalanced journal
through: a statement made under it must balance by itself, at its end, or it fails.
"""

from django.db import migrations

SETTING = "current_setting('causeway.ledger_whole_journals', true)"

PG_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION wallets_statement_journals_balanced() RETURNS trigger AS $$
    DECLARE
        unbalanced bigint;
    BEGIN
        SELECT journal_id INTO unbalanced FROM (
            SELECT journal_id, currency, SUM(amount) AS total, count(*) AS lines
            FROM inserted_entries GROUP BY journal_id, currency
        ) AS per_currency
        GROUP BY journal_id HAVING bool_or(total <> 0) OR SUM(lines) < 2 LIMIT 1;
        IF unbalanced IS NOT NULL THEN
            RAISE EXCEPTION 'journal %: the entries of this statement do not sum to zero per currency (or are fewer '
                'than two)', unbalanced USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END; $$ LANGUAGE plpgsql;
    """,
    "DROP TRIGGER IF EXISTS wallets_entry_balanced ON wallets_entry;",
    "CREATE CONSTRAINT TRIGGER wallets_entry_balanced AFTER INSERT ON wallets_entry "
    f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ({SETTING} IS DISTINCT FROM 'on') "
    "EXECUTE FUNCTION wallets_journal_balanced();",
    "CREATE TRIGGER wallets_entry_statement_balanced AFTER INSERT ON wallets_entry "
    "REFERENCING NEW TABLE AS inserted_entries FOR EACH STATEMENT "
    f"WHEN ({SETTING} = 'on') EXECUTE FUNCTION wallets_statement_journals_balanced();",
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS wallets_entry_statement_balanced ON wallets_entry;",
    "DROP FUNCTION IF EXISTS wallets_statement_journals_balanced();",
    "DROP TRIGGER IF EXISTS wallets_entry_balanced ON wallets_entry;",
    "CREATE CONSTRAINT TRIGGER wallets_entry_balanced AFTER INSERT ON wallets_entry "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wallets_journal_balanced();",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite has no zero-sum trigger: journals are built balanced in Python
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                # No parameters: PL/pgSQL's RAISE uses % for its own placeholders.
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("wallets", "0004_holder_sign_in_and_consent_rules")]

    operations = [
        migrations.RunPython(_run(PG_FORWARD), _run(PG_REVERSE), hints={"model_name": "entry"}, elidable=False)
    ]
