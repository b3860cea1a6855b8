"""Stored event payloads are kept in the latest API shape (docs/versioning.md): version 2026-12-07 turned a
transfer's ``failure_code`` and ``failure_message`` into one ``failure`` object, so the transfer payloads stored
before it are rewritten, and every stored payload is marked as shaped for 2026-12-07. Older versions get the
flat fields back when an event is rendered for them."""

from django.db import migrations

SHAPED_FOR = "2026-12-07"


def _fold(obj: dict) -> bool:
    if not isinstance(obj, dict) or ("failure_code" not in obj and "failure_message" not in obj):
        return False
    code, message = obj.pop("failure_code", None), obj.pop("failure_message", None)
    obj["failure"] = {"code": code, "message": message} if code else None
    return True


def forwards(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    for event in Event.objects.filter(object_type="transfer").only("pk", "data").iterator(chunk_size=500):
        data = event.data or {}
        changed = _fold(data.get("object"))
        previous = data.get("previous_attributes")
        if isinstance(previous, dict) and ("failure_code" in previous or "failure_message" in previous):
            previous_failure = {k: previous.pop(k) for k in ("failure_code", "failure_message") if k in previous}
            code = previous_failure.get("failure_code")
            previous["failure"] = {"code": code, "message": previous_failure.get("failure_message")} if code else None
            changed = True
        if changed:
            Event.objects.filter(pk=event.pk).update(data=data)
    Event.objects.exclude(api_version=SHAPED_FOR).update(api_version=SHAPED_FOR)


class Migration(migrations.Migration):
    dependencies = [("events", "0003_event_tenancy_without_constraints")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
