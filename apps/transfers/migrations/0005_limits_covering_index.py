from django.db import migrations

from apps.core.migration_ops import covering_index


class Migration(migrations.Migration):
    """The limits query sums a holder's transfers over 30 days inside the source wallet's lock: with the columns
    it reads in the index, PostgreSQL answers it from the index for every page vacuum has marked all-visible."""

    dependencies = [("transfers", "0004_write_path_indexes")]

    operations = [
        covering_index(
            "transfers_transfer",
            "transfers_limits",
            ("holder_id", "initiated_at"),
            include=("currency", "amount", "status"),
        ),
    ]
