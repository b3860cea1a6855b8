"""Models shared by every app: the abstract base, the user model and idempotency records."""

import json
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models

from apps.core.ids import new_public_id


class PublicIdField(models.CharField):
    """A unique, prefixed random id (``ph_...``) filled in on first save; the id the API shows."""

    def __init__(self, *args: Any, prefix: str, **kwargs: Any) -> None:
        self.prefix = prefix
        kwargs.setdefault("max_length", 40)
        kwargs["unique"] = True
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["prefix"] = self.prefix
        kwargs.pop("unique", None)
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = getattr(model_instance, self.attname)
        if not value:
            value = new_public_id(self.prefix)
            setattr(model_instance, self.attname, value)
        return value


class JSONTextField(models.TextField):
    """JSON kept as the text it was written as, read back as Python values in the same order.

    ``JSONField`` is ``jsonb`` on PostgreSQL, which stores an object with its keys reordered (by length, then
    name): a stored API response read back from it comes out in another order than it was sent. This field keeps
    the order, so an idempotent replay is byte for byte the original response on both databases. For storing
    and returning whole documents, not for querying into them."""

    def get_prep_value(self, value: Any) -> Any:
        return None if value is None else json.dumps(value, separators=(",", ":"))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else json.loads(value)

    def to_python(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    def value_to_string(self, obj: models.Model) -> str:
        return self.get_prep_value(self.value_from_object(obj)) or ""


class BaseModel(models.Model):
    """Abstract base: an internal auto-increment key (never shown), a public id and creation/update times.

    Subclasses declare ``public_id = PublicIdField(prefix="...")`` and ``object_name`` (the API's ``object``).
    Lists page on the internal key, which only grows, so a cursor stays stable under inserts.
    """

    object_name: ClassVar[str] = ""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return getattr(self, "public_id", "") or super().__str__()


class User(AbstractUser):
    """One user model for everyone who logs in: partner members, wallet holders and bank staff.

    What a user is follows from its profiles: a ``partners.Membership`` makes it a partner member, a
    wallet holder profile makes it a holder, ``is_staff`` makes it bank staff.
    """

    public_id = PublicIdField(prefix="usr")
    email = models.EmailField("email address", blank=True, db_index=True)

    class Meta:
        db_table = "core_user"


class IdempotencyKey(models.Model):
    """A request made with an ``Idempotency-Key``, kept 24 h so a retry replays instead of acting twice.

    ``scope`` is the partner and environment (and a holder-bound token's consent); ``fingerprint`` is a hash of
    method, path and body. While ``status`` is ``in_progress`` the row is leased to one request until
    ``locked_until``; a request that finds the lease expired (its owner crashed) takes it over. The row is
    completed in the same database transaction as the effect it records.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress"
        COMPLETED = "completed"

    scope = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=512)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    lease_token = models.CharField(max_length=32, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # Text, not jsonb: a replay returns the response with its keys in the order they were first sent.
    response_body = JSONTextField(null=True, blank=True)
    response_content_type = models.CharField(max_length=64, blank=True)
    resource_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="core_idempotency_scope_key_unique"),
            models.CheckConstraint(
                condition=~models.Q(status="completed") | models.Q(response_status__isnull=False),
                name="core_idempotency_completed_has_response",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
