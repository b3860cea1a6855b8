"""Factories for ``apps.core``'s models: the one user model and idempotency records."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.core.idempotency import fingerprint
from apps.core.models import IdempotencyKey


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a usable password (``correct-horse-battery``); a member, holder or staff by what else a test
    gives it."""

    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"member{n}@example.test")
    email = factory.SelfAttribute("username")
    password = factory.django.Password("correct-horse-battery")


class IdempotencyKeyFactory(factory.django.DjangoModelFactory):
    """A completed ``Idempotency-Key`` record of a ``POST`` in one partner environment (``scope`` as
    ``Principal.scope_key`` names it), with the response a retry would replay. ``in_progress=True`` leaves it
    claimed by a request still running, for a minute."""

    class Meta:
        model = IdempotencyKey

    class Params:
        body = factory.Dict({"name": "Key"})
        in_progress = factory.Trait(
            status=IdempotencyKey.Status.IN_PROGRESS,
            lease_token=factory.Sequence(lambda n: f"{n:032d}"),
            locked_until=factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=1)),
            response_status=None,
            response_body=None,
            response_content_type="",
            completed_at=None,
        )

    scope = factory.Sequence(lambda n: f"pt_test{n}:sandbox")
    key = factory.Sequence(lambda n: f"key-{n}")
    method = "POST"
    path = "/v1/api_keys"
    fingerprint = factory.LazyAttribute(lambda o: fingerprint(method=o.method, path=o.path, data=o.body))
    status = IdempotencyKey.Status.COMPLETED
    response_status = 201
    response_body = factory.Dict({"object": "api_key"})
    response_content_type = "application/json"
    created_at = factory.LazyFunction(timezone.now)
    completed_at = factory.SelfAttribute("created_at")
