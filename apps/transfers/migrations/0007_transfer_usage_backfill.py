from django.db import migrations


def backfill(apps, schema_editor):
    from apps.transfers.usage import usage_rebuild

    usage_rebuild(
        transfer_model=apps.get_model("transfers", "Transfer"),
        usage_model=apps.get_model("transfers", "TransferUsage"),
    )


class Migration(migrations.Migration):
    """Fill the usage buckets from the transfers already there (the limits read the buckets from now on)."""

    dependencies = [("transfers", "0006_transfer_usage")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
