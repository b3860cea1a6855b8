"""Secret-key authentication: ``Authorization: Bearer cw_sk_...`` or HTTP Basic with the key as username."""

import base64
from contextlib import ExitStack
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core import ratelimits
from apps.partners import keys
from apps.partners.models import ApiKey
from apps.partners.services import api_key_cache_key, api_key_create, api_key_revoke
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db

WHO_AM_I = "/v1/partner"


def assert_unauthenticated(response: Any, code: str) -> dict[str, Any]:
    body = assert_problem(response, 401, code)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert body["request_id"] == response["Request-Id"]
    assert body["errors"] == []
    return body


def tampered(secret: str) -> str:
    """The key with one character of its random body changed, so the checksum no longer matches."""
    position = len("cw_sk_sandbox_") + 10
    replacement = "A" if secret[position] != "A" else "B"
    return secret[:position] + replacement + secret[position + 1 :]


def apikey_updates(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "partners_apikey"')]


class TestValidKeys:
    def test_a_valid_bearer_key_is_accepted(self, sandbox_client, sandbox_key):
        response = sandbox_client.get(WHO_AM_I)

        assert response.status_code == 200
        assert response.json()["credential"]["id"] == sandbox_key.api_key.public_id

    def test_basic_auth_with_the_key_as_username_is_accepted(self, api_client, sandbox_key):
        # What `curl -u cw_sk_sandbox_...:` sends.
        encoded = base64.b64encode(f"{sandbox_key.secret}:".encode()).decode()

        response = api_client.get(WHO_AM_I, HTTP_AUTHORIZATION=f"Basic {encoded}")

        assert response.status_code == 200
        assert response.json()["credential"]["id"] == sandbox_key.api_key.public_id

    def test_the_scheme_name_is_case_insensitive(self, api_client, sandbox_key):
        response = api_client.get(WHO_AM_I, HTTP_AUTHORIZATION=f"bearer {sandbox_key.secret}")

        assert response.status_code == 200

    def test_a_second_request_is_served_from_the_cache_without_a_key_lookup(self, sandbox_client, sandbox_key):
        sandbox_client.get(WHO_AM_I)
        assert cache.get(api_key_cache_key(sandbox_key.api_key.digest)) is not None

        with CaptureQueriesContext(connection) as queries:
            response = sandbox_client.get(WHO_AM_I)

        assert response.status_code == 200
        assert not [q for q in queries.captured_queries if '"partners_apikey"' in q["sql"]]


class TestRefusedKeys:
    def test_a_tampered_key_is_malformed_and_refused_without_a_query(
        self, api_client, sandbox_key, django_assert_num_queries, monkeypatch
    ):
        secret = tampered(sandbox_key.secret)
        assert keys.looks_like_key(secret)
        # The rate limiter's counter (its own tests: tests/core/test_rate_limits.py) is the request's one cache
        # write; leave it out here.
        monkeypatch.setattr(ratelimits, "incr_window", lambda key, timeout: 1)

        # No query on any database: not the key lookup, and not a cache read (the database cache is on "aux").
        with ExitStack() as stack:
            for alias in settings.DATABASES:
                stack.enter_context(django_assert_num_queries(0, using=alias))
            response = api_client.get(WHO_AM_I, HTTP_AUTHORIZATION=f"Bearer {secret}")

        assert_unauthenticated(response, "api_key_malformed")

    def test_a_truncated_key_is_malformed(self, client_for, sandbox_key):
        response = client_for(sandbox_key.secret[:-1]).get(WHO_AM_I)

        assert_unauthenticated(response, "api_key_malformed")

    def test_bearer_with_garbage_is_malformed(self, client_for):
        response = client_for("not-a-key-at-all").get(WHO_AM_I)

        body = assert_unauthenticated(response, "api_key_malformed")
        assert "not-a-key-at-all" not in body["detail"]

    def test_a_well_formed_but_unknown_key_is_invalid(self, client_for, sandbox_key):
        response = client_for(keys.generate("sandbox")).get(WHO_AM_I)

        assert_unauthenticated(response, "api_key_invalid")

    def test_a_revoked_key_is_refused(self, client_for, sandbox_key, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            api_key_revoke(api_key=sandbox_key.api_key)

        response = client_for(sandbox_key.secret).get(WHO_AM_I)

        assert_unauthenticated(response, "api_key_revoked")

    def test_a_cached_key_is_refused_on_the_very_next_request_after_revocation(
        self, sandbox_client, sandbox_key, django_capture_on_commit_callbacks
    ):
        assert sandbox_client.get(WHO_AM_I).status_code == 200
        assert cache.get(api_key_cache_key(sandbox_key.api_key.digest)) is not None

        with django_capture_on_commit_callbacks(execute=True):
            api_key_revoke(api_key=ApiKey.objects.get(pk=sandbox_key.api_key.pk))

        assert_unauthenticated(sandbox_client.get(WHO_AM_I), "api_key_revoked")

    def test_an_expired_key_is_refused(self, sandbox, client_for):
        issued = api_key_create(environment=sandbox, expires_at=timezone.now() - timedelta(seconds=1))

        response = client_for(issued.secret).get(WHO_AM_I)

        assert_unauthenticated(response, "api_key_expired")

    def test_a_cached_key_is_refused_once_it_expires(self, sandbox, client_for):
        start = timezone.now()
        issued = api_key_create(environment=sandbox, expires_at=start + timedelta(seconds=30))
        client = client_for(issued.secret)
        cache_key = api_key_cache_key(issued.api_key.digest)

        with time_machine.travel(start, tick=False):
            assert client.get(WHO_AM_I).status_code == 200
        with time_machine.travel(start + timedelta(seconds=31), tick=False):
            # Still inside the cache lifetime: the refusal comes from the cached copy.
            assert settings.API_KEY_CACHE_SECONDS > 31
            assert cache.get(cache_key) is not None
            response = client.get(WHO_AM_I)

        assert_unauthenticated(response, "api_key_expired")

    @pytest.mark.parametrize("parameter", ["api_key", "x"])
    def test_a_key_in_the_query_string_is_refused_even_with_a_valid_header(
        self, sandbox_client, sandbox_key, parameter
    ):
        response = sandbox_client.get(WHO_AM_I, {parameter: sandbox_key.secret})

        body = assert_unauthenticated(response, "api_key_in_query_string")
        assert sandbox_key.secret not in body["detail"]

    def test_a_key_among_several_values_of_a_query_parameter_is_refused(self, api_client, sandbox_key):
        response = api_client.get(f"{WHO_AM_I}?x=1&x={sandbox_key.secret}")

        assert_unauthenticated(response, "api_key_in_query_string")

    def test_another_scheme_is_refused(self, api_client):
        response = api_client.get(WHO_AM_I, HTTP_AUTHORIZATION="Token x")

        assert_unauthenticated(response, "authentication_invalid")

    def test_basic_auth_that_is_not_base64_is_refused(self, api_client):
        response = api_client.get(WHO_AM_I, HTTP_AUTHORIZATION="Basic %%%not-base64")

        assert_unauthenticated(response, "authentication_invalid")

    def test_no_credential_is_refused(self, api_client):
        response = api_client.get(WHO_AM_I)

        assert_unauthenticated(response, "authentication_required")


class TestLastUsed:
    def test_last_used_at_is_set_on_use_and_not_rewritten_within_a_minute(self, sandbox_client, sandbox_key):
        api_key = sandbox_key.api_key
        start = timezone.now().replace(microsecond=0)
        assert api_key.last_used_at is None

        with time_machine.travel(start, tick=False), CaptureQueriesContext(connection) as first:
            assert sandbox_client.get(WHO_AM_I).status_code == 200
        api_key.refresh_from_db()
        assert api_key.last_used_at == start
        assert len(apikey_updates(first)) == 1

        with time_machine.travel(start + timedelta(seconds=50), tick=False), CaptureQueriesContext(connection) as soon:
            assert sandbox_client.get(WHO_AM_I).status_code == 200
        api_key.refresh_from_db()
        assert api_key.last_used_at == start
        assert apikey_updates(soon) == []

        later_time = start + timedelta(seconds=61)
        with time_machine.travel(later_time, tick=False), CaptureQueriesContext(connection) as later:
            assert sandbox_client.get(WHO_AM_I).status_code == 200
        api_key.refresh_from_db()
        assert api_key.last_used_at == later_time
        assert len(apikey_updates(later)) == 1

    def test_a_refused_key_is_not_marked_used(self, client_for, sandbox_key, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            api_key_revoke(api_key=sandbox_key.api_key)

        client_for(sandbox_key.secret).get(WHO_AM_I)

        sandbox_key.api_key.refresh_from_db()
        assert sandbox_key.api_key.last_used_at is None


class TestSecretStorage:
    def test_the_plaintext_key_is_stored_nowhere_in_the_row(self, sandbox_client, sandbox_key):
        sandbox_client.get(WHO_AM_I)  # a use writes last_used_at: the row must stay clean after it too
        secret = sandbox_key.secret
        body = secret.removeprefix("cw_sk_sandbox_")

        row = ApiKey.objects.filter(pk=sandbox_key.api_key.pk).values().get()

        for value in row.values():
            assert secret not in str(value)
            assert body[:20] not in str(value)
            assert body[-20:-4] not in str(value)
        assert row["digest"] == keys.digest(secret)
        assert row["redacted"] == f"cw_sk_sandbox_...{secret[-4:]}"

    def test_str_and_repr_do_not_show_the_key(self, sandbox_key):
        api_key = ApiKey.objects.get(pk=sandbox_key.api_key.pk)
        body = sandbox_key.secret.removeprefix("cw_sk_sandbox_")

        for text in (str(api_key), repr(api_key), str(sandbox_key.api_key)):
            assert sandbox_key.secret not in text
            assert body[:-4] not in text
        assert api_key.public_id in str(api_key)


@pytest.mark.redis
class TestKeyReadWithTheRateLimitCount:
    def test_a_cached_keys_request_makes_one_cache_round_trip(self, client_for, sandbox_key):
        api_client = client_for(sandbox_key.secret)
        assert api_client.get(WHO_AM_I).status_code == 200  # caches the key's record; the limiter learns it
        redis = cache._cache.get_client(write=True)
        commands: list[str] = []
        original = redis.execute_command

        def counting(*args: Any, **kwargs: Any) -> Any:
            commands.append(str(args[0]))
            return original(*args, **kwargs)

        redis.execute_command = counting
        try:
            response = api_client.get(WHO_AM_I)
        finally:
            del redis.execute_command

        assert response.status_code == 200
        assert response["RateLimit-Remaining"]
        assert commands == ["EVALSHA"]

    def test_a_key_revoked_after_its_record_was_cached_is_refused_on_the_next_request(
        self, client_for, sandbox_key, django_capture_on_commit_callbacks
    ):
        api_client = client_for(sandbox_key.secret)
        assert api_client.get(WHO_AM_I).status_code == 200

        with django_capture_on_commit_callbacks(execute=True):
            api_key_revoke(api_key=sandbox_key.api_key)

        assert_unauthenticated(api_client.get(WHO_AM_I), "api_key_revoked")
