"""Two indexes fewer to maintain on every posting (each was one more index insert per row; for a seeded sandbox of
1,000 holders, 720,000 entries and 360,000 journals):

- ``wallets_entry.account_id`` alone: ``wallets_entry_account`` (account_id, id) serves every lookup by account.
- ``wallets_journal.reverses_id``: now indexed only where set (``wallets_journal_reverses``); almost no journal
  reverses another, and a lookup by it (``reverses_id = ...``) implies the index's condition.

The database side is written out rather than left to ``AlterField``: on SQLite that would rebuild the entry
table, and the rebuild would drop its append-only triggers (migration 0002).
"""

import django.db.models.deletion
from django.db import migrations, models

INDEX = models.Index(fields=["reverses"], name="wallets_journal_reverses", condition=models.Q(reverses__isnull=False))


def _single_column_indexes(schema_editor, table, column):
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, info in constraints.items()
        if info["index"] and not info["primary_key"] and not info["unique"] and info["columns"] == [column]
    ]


def forwards(apps, schema_editor):
    for table, column in (("wallets_entry", "account_id"), ("wallets_journal", "reverses_id")):
        for name in _single_column_indexes(schema_editor, table, column):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")
    schema_editor.add_index(apps.get_model("wallets", "Journal"), INDEX)


def backwards(apps, schema_editor):
    schema_editor.remove_index(apps.get_model("wallets", "Journal"), INDEX)
    quote = schema_editor.quote_name
    for table, column, name in (
        ("wallets_entry", "account_id", "wallets_entry_account_id_8b96ee76"),
        ("wallets_journal", "reverses_id", "wallets_journal_reverses_id_04f55364"),
    ):
        schema_editor.execute(f"CREATE INDEX {quote(name)} ON {quote(table)} ({quote(column)})")


class Migration(migrations.Migration):
    dependencies = [("wallets", "0006_personalisation_and_booked_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="entry",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="wallets.ledgeraccount",
                    ),
                ),
                migrations.AlterField(
                    model_name="journal",
                    name="reverses",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reversals",
                        to="wallets.journal",
                    ),
                ),
                migrations.AddIndex(model_name="journal", index=INDEX),
            ],
            database_operations=[migrations.RunPython(forwards, backwards, elidable=False)],
        )
    ]
