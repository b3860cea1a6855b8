# The request log's public and request ids are only looked up by equality: on PostgreSQL their
# varchar_pattern_ops twins (made by Django for LIKE) are dropped, one index insert fewer each per request.

from django.db import migrations

from apps.core.migration_ops import drop_pattern_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_portal"),
    ]

    operations = [
        drop_pattern_indexes("partners_requestlog", column="public_id"),
        drop_pattern_indexes("partners_requestlog", column="request_id"),
    ]
