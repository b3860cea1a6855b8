"""Each factory of ``tests/core/factories.py`` makes a valid row with the fields tests rely on."""

import pytest

from apps.core.idempotency import fingerprint
from apps.core.models import IdempotencyKey, User
from tests.core.factories import IdempotencyKeyFactory, UserFactory

pytestmark = pytest.mark.django_db


class TestCoreFactories:
    def test_a_user_is_saved_with_a_public_id_and_the_documented_password(self):
        user = UserFactory()

        stored = User.objects.get(pk=user.pk)
        assert stored.public_id.startswith("usr_")
        assert stored.email == stored.username
        assert stored.check_password("correct-horse-battery")

    def test_an_idempotency_key_is_completed_with_the_response_a_retry_replays(self):
        record = IdempotencyKeyFactory(body={"name": "CI key"})

        stored = IdempotencyKey.objects.get(pk=record.pk)
        assert (stored.status, stored.response_status, stored.response_body) == (
            "completed",
            201,
            {"object": "api_key"},
        )
        assert stored.fingerprint == fingerprint(method="POST", path=stored.path, data={"name": "CI key"})

    def test_an_in_progress_idempotency_key_is_leased_and_has_no_response(self):
        record = IdempotencyKeyFactory(in_progress=True)

        stored = IdempotencyKey.objects.get(pk=record.pk)
        assert stored.status == "in_progress"
        assert stored.locked_until > stored.created_at
        assert stored.response_status is None and stored.completed_at is None
