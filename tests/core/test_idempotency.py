import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.idempotency import IdempotencyHandle, IdempotencyKeyInUse, fingerprint, purge_expired
from apps.core.models import IdempotencyKey
from apps.core.principal import Principal
from apps.events.models import Event
from apps.partners.models import ApiKey
from apps.partners.services import api_key_create
from tests.helpers import assert_problem
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.idempotency_urls")]

KEYS = "/v1/test/keys"
REQUIRED = "/v1/test/keys/required"
DURABLE = "/v1/test/keys/durable"


def _post(client, path, body, key=None):
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post(path, body, format="json", headers=headers)


def _written(name):
    """How many times the write named ``name`` happened: its API keys and their outbox events."""
    ids = list(ApiKey.objects.filter(name=name).values_list("public_id", flat=True))
    events = Event.objects.filter(type="api_key.created", object_id__in=ids).count()
    assert events == len(ids), "every written key has exactly one event"
    return len(ids)


def _scope(environment):
    return Principal(
        partner=environment.partner, environment=environment, credential_type="api_key", credential_id=""
    ).scope_key


def _in_progress(*, environment, key, body, locked_until, lease_token="a" * 32, path=KEYS):
    """The record a request leaves behind while it runs (or after it crashed): claimed, never completed."""
    now = timezone.now()
    return IdempotencyKey.objects.create(
        scope=_scope(environment),
        key=key,
        fingerprint=fingerprint(method="POST", path=path, data=body),
        method="POST",
        path=path,
        lease_token=lease_token,
        locked_until=locked_until,
        created_at=now,
    )


class TestIdempotentReplay:
    def test_second_request_with_same_key_and_body_replays_the_first_response(self, sandbox_client):
        first = _post(sandbox_client, KEYS, {"name": "replayed"}, key="k-replay")
        second = _post(sandbox_client, KEYS, {"name": "replayed"}, key="k-replay")

        assert first.status_code == 201
        assert "Idempotent-Replayed" not in first
        assert first.json()["name"] == "replayed"
        assert first.json()["id"].startswith("key_")
        assert second.status_code == 201
        assert second["Idempotent-Replayed"] == "true"
        assert second.json() == first.json()
        assert second.content == first.content
        assert _written("replayed") == 1

    def test_the_record_is_completed_with_the_response(self, sandbox_client, sandbox):
        response = _post(sandbox_client, KEYS, {"name": "recorded"}, key="k-record")

        record = IdempotencyKey.objects.get(key="k-record")
        assert record.scope == _scope(sandbox)
        assert record.status == IdempotencyKey.Status.COMPLETED
        assert record.response_status == 201
        assert record.response_body == response.json()
        assert record.resource_id == response.json()["id"]
        assert record.locked_until is None

    def test_requests_without_a_key_on_an_optional_endpoint_each_execute(self, sandbox_client):
        first = _post(sandbox_client, KEYS, {"name": "keyless"})
        second = _post(sandbox_client, KEYS, {"name": "keyless"})

        assert first.status_code == second.status_code == 201
        assert first.json()["id"] != second.json()["id"]
        assert "Idempotent-Replayed" not in second
        assert _written("keyless") == 2
        assert not IdempotencyKey.objects.exists()


class TestIdempotencyKeyReuse:
    def test_same_key_with_another_body_is_refused_and_writes_nothing(self, sandbox_client):
        first = _post(sandbox_client, KEYS, {"name": "original"}, key="k-reuse")
        second = _post(sandbox_client, KEYS, {"name": "other"}, key="k-reuse")

        assert first.status_code == 201
        assert_problem(second, 422, "idempotency_key_reused")
        assert _written("original") == 1
        assert _written("other") == 0

    def test_same_key_and_body_on_another_endpoint_is_refused(self, sandbox_client):
        _post(sandbox_client, KEYS, {"name": "elsewhere"}, key="k-path")

        response = _post(sandbox_client, REQUIRED, {"name": "elsewhere"}, key="k-path")

        assert_problem(response, 422, "idempotency_key_reused")
        assert _written("elsewhere") == 1


class TestIdempotencyKeyHeader:
    def test_a_required_endpoint_refuses_a_request_without_the_header(self, sandbox_client):
        response = _post(sandbox_client, REQUIRED, {"name": "no-header"})

        assert_problem(response, 400, "idempotency_key_required")
        assert _written("no-header") == 0

    @pytest.mark.parametrize(
        "key",
        ["x" * 256, "x" * 300, "two words", "line\nbreak", "trailing-newline\n", "tab\there", "", "cl\u00e9"],
        ids=["256-chars", "300-chars", "space", "newline", "trailing-newline", "tab", "empty", "non-ascii"],
    )
    def test_a_malformed_key_is_refused_and_writes_nothing(self, sandbox_client, key):
        response = _post(sandbox_client, REQUIRED, {"name": "malformed"}, key=key)

        assert_problem(response, 400, "idempotency_key_invalid")
        assert _written("malformed") == 0
        assert not IdempotencyKey.objects.exists()

    def test_a_key_of_255_printable_characters_is_accepted(self, sandbox_client):
        key = "k" * 253 + "~!"

        response = _post(sandbox_client, REQUIRED, {"name": "longest"}, key=key)

        assert response.status_code == 201
        assert IdempotencyKey.objects.get().key == key


class TestIdempotencyKeyScope:
    def test_the_same_key_from_another_partner_executes_again(self, sandbox_client, client_for):
        other_partner = PartnerFactory()
        other_key = api_key_create(environment=other_partner.environments.get(kind="sandbox"))

        mine = _post(sandbox_client, KEYS, {"name": "scoped"}, key="k-shared")
        theirs = _post(client_for(other_key.secret), KEYS, {"name": "scoped"}, key="k-shared")

        assert mine.status_code == theirs.status_code == 201
        assert "Idempotent-Replayed" not in theirs
        assert theirs.json()["id"] != mine.json()["id"]
        assert ApiKey.objects.get(public_id=theirs.json()["id"]).partner == other_partner
        assert _written("scoped") == 2

    def test_the_same_key_in_the_partners_other_environment_executes_again(self, partner, sandbox_client, client_for):
        live = LiveEnvironmentFactory(partner=partner)
        live_client = client_for(api_key_create(environment=live).secret)

        in_sandbox = _post(sandbox_client, KEYS, {"name": "per-environment"}, key="k-env")
        in_live = _post(live_client, KEYS, {"name": "per-environment"}, key="k-env")

        assert in_sandbox.status_code == in_live.status_code == 201
        assert "Idempotent-Replayed" not in in_live
        assert ApiKey.objects.get(public_id=in_live.json()["id"]).environment == live
        assert _written("per-environment") == 2
        assert IdempotencyKey.objects.filter(key="k-env").count() == 2


class TestIdempotentFailure:
    def test_a_domain_error_writes_nothing_and_releases_the_key(self, sandbox_client):
        failed = _post(sandbox_client, KEYS, {"name": "refused", "fail": True}, key="k-fail")

        assert_problem(failed, 422, "write_refused")
        assert _written("refused") == 0
        assert not IdempotencyKey.objects.filter(key="k-fail").exists()

    def test_a_fixed_retry_with_the_same_key_executes(self, sandbox_client):
        _post(sandbox_client, KEYS, {"name": "refused", "fail": True}, key="k-fix")

        retry = _post(sandbox_client, KEYS, {"name": "refused"}, key="k-fix")

        assert retry.status_code == 201
        assert "Idempotent-Replayed" not in retry
        assert _written("refused") == 1
        assert IdempotencyKey.objects.get(key="k-fix").status == IdempotencyKey.Status.COMPLETED

    def test_an_error_is_not_replayed_to_an_identical_retry(self, sandbox_client):
        first = _post(sandbox_client, KEYS, {"name": "refused", "fail": True}, key="k-again")
        second = _post(sandbox_client, KEYS, {"name": "refused", "fail": True}, key="k-again")

        assert_problem(first, 422, "write_refused")
        assert_problem(second, 422, "write_refused")
        assert "Idempotent-Replayed" not in second
        assert first.json()["request_id"] != second.json()["request_id"]
        assert _written("refused") == 0

    def test_an_invalid_body_claims_no_key(self, sandbox_client):
        invalid = _post(sandbox_client, KEYS, {"name": ""}, key="k-invalid")
        valid = _post(sandbox_client, KEYS, {"name": "valid"}, key="k-invalid")

        assert_problem(invalid, 400, "parameter_invalid")
        assert valid.status_code == 201
        assert _written("valid") == 1


class TestIdempotencyLease:
    def test_a_record_in_progress_with_a_live_lease_is_a_409_with_retry_after(self, sandbox_client, sandbox):
        body = {"name": "running"}
        _in_progress(environment=sandbox, key="k-busy", body=body, locked_until=timezone.now() + timedelta(minutes=1))

        response = _post(sandbox_client, KEYS, body, key="k-busy")

        assert_problem(response, 409, "idempotency_key_in_use")
        assert response["Retry-After"] == "1"
        assert _written("running") == 0
        assert IdempotencyKey.objects.get(key="k-busy").status == IdempotencyKey.Status.IN_PROGRESS

    def test_a_record_whose_lease_expired_is_taken_over_and_executes_once(self, sandbox_client, sandbox):
        body = {"name": "crashed"}
        _in_progress(environment=sandbox, key="k-crash", body=body, locked_until=timezone.now() - timedelta(seconds=1))

        taken_over = _post(sandbox_client, KEYS, body, key="k-crash")
        replayed = _post(sandbox_client, KEYS, body, key="k-crash")

        assert taken_over.status_code == 201
        assert "Idempotent-Replayed" not in taken_over
        assert replayed["Idempotent-Replayed"] == "true"
        assert replayed.json() == taken_over.json()
        assert _written("crashed") == 1
        record = IdempotencyKey.objects.get(key="k-crash")
        assert record.status == IdempotencyKey.Status.COMPLETED
        assert record.response_body == taken_over.json()
        assert record.lease_token != "a" * 32

    def test_an_expired_lease_with_another_body_is_still_a_reuse(self, sandbox_client, sandbox):
        past = timezone.now() - timedelta(seconds=1)
        _in_progress(environment=sandbox, key="k-crash-other", body={"name": "first"}, locked_until=past)

        response = _post(sandbox_client, KEYS, {"name": "second"}, key="k-crash-other")

        assert_problem(response, 422, "idempotency_key_reused")
        assert _written("second") == 0

    def test_completing_with_a_stale_lease_token_raises_and_rolls_the_effect_back(self, sandbox):
        # Another request took the expired lease over: the record now carries its token, not ours.
        record = _in_progress(
            environment=sandbox,
            key="k-stale",
            body={"name": "stale"},
            locked_until=timezone.now() + timedelta(minutes=1),
            lease_token="b" * 32,
        )
        handle = IdempotencyHandle(
            record_id=record.pk, lease_token="a" * 32, status=201, render=lambda key: {"id": key.public_id}
        )

        with pytest.raises(IdempotencyKeyInUse), transaction.atomic():
            api_key = api_key_create(environment=sandbox, name="stale").api_key
            handle.complete(api_key)

        assert not ApiKey.objects.filter(name="stale").exists()
        assert not handle.completed
        record.refresh_from_db()
        assert record.status == IdempotencyKey.Status.IN_PROGRESS
        assert record.lease_token == "b" * 32
        assert record.response_body is None

    @pytest.mark.django_db(transaction=True)
    def test_completing_outside_a_transaction_is_refused(self, sandbox):
        record = _in_progress(
            environment=sandbox, key="k-outside", body={}, locked_until=timezone.now() + timedelta(minutes=1)
        )
        handle = IdempotencyHandle(record_id=record.pk, lease_token="a" * 32, status=201, render=lambda obj: {})

        with pytest.raises(RuntimeError, match="inside the effect's transaction"):
            handle.complete(object())

        record.refresh_from_db()
        assert record.status == IdempotencyKey.Status.IN_PROGRESS


class TestIdempotencyRetention:
    def test_a_record_older_than_24_hours_is_expired_and_the_key_executes_again(self, sandbox_client):
        with time_machine.travel(timezone.now() - timedelta(hours=24, minutes=1)):
            old = _post(sandbox_client, KEYS, {"name": "yesterday"}, key="k-old")

        same_body = _post(sandbox_client, KEYS, {"name": "yesterday"}, key="k-old")

        assert old.status_code == same_body.status_code == 201
        assert "Idempotent-Replayed" not in same_body
        assert same_body.json()["id"] != old.json()["id"]
        assert _written("yesterday") == 2
        assert IdempotencyKey.objects.get(key="k-old").response_body == same_body.json()

    def test_an_expired_key_may_carry_another_body(self, sandbox_client):
        with time_machine.travel(timezone.now() - timedelta(hours=25)):
            _post(sandbox_client, KEYS, {"name": "old body"}, key="k-old-other")

        response = _post(sandbox_client, KEYS, {"name": "new body"}, key="k-old-other")

        assert response.status_code == 201
        assert _written("new body") == 1

    def test_a_record_just_inside_24_hours_is_still_replayed(self, sandbox_client):
        with time_machine.travel(timezone.now() - timedelta(hours=23, minutes=59)):
            first = _post(sandbox_client, KEYS, {"name": "recent"}, key="k-recent")

        second = _post(sandbox_client, KEYS, {"name": "recent"}, key="k-recent")

        assert second["Idempotent-Replayed"] == "true"
        assert second.json() == first.json()
        assert _written("recent") == 1

    def test_purge_deletes_only_records_past_retention(self, sandbox_client):
        now = timezone.now()
        for key, age in [("k-25h", timedelta(hours=25)), ("k-23h", timedelta(hours=23)), ("k-now", timedelta(0))]:
            with time_machine.travel(now - age):
                assert _post(sandbox_client, KEYS, {"name": key}, key=key).status_code == 201

        deleted = purge_expired()

        assert deleted == 1
        assert sorted(IdempotencyKey.objects.values_list("key", flat=True)) == ["k-23h", "k-now"]
        assert _written("k-25h") == 1, "purging forgets the key, never the effect"


class TestIdempotencyActionCompletes:
    def test_the_service_completes_the_record_inside_its_durable_transaction(self, sandbox_client):
        response = _post(sandbox_client, DURABLE, {"name": "durable"}, key="k-durable")
        replayed = _post(sandbox_client, DURABLE, {"name": "durable"}, key="k-durable")

        assert response.status_code == 201
        assert response.json()["name"] == "durable"
        record = IdempotencyKey.objects.get(key="k-durable")
        assert record.status == IdempotencyKey.Status.COMPLETED
        assert record.response_status == 201
        assert record.response_body == response.json()
        assert record.resource_id == response.json()["id"]
        assert replayed["Idempotent-Replayed"] == "true"
        assert replayed.json() == response.json()
        assert _written("durable") == 1

    def test_an_error_after_completion_rolls_back_the_record_with_the_effect(self, sandbox_client):
        failed = _post(sandbox_client, DURABLE, {"name": "durable-refused", "fail": True}, key="k-durable-fail")
        retry = _post(sandbox_client, DURABLE, {"name": "durable-refused"}, key="k-durable-fail")

        assert_problem(failed, 422, "write_refused")
        assert retry.status_code == 201
        assert "Idempotent-Replayed" not in retry
        assert _written("durable-refused") == 1

    def test_without_a_key_the_service_still_renders_the_response(self, sandbox_client):
        response = _post(sandbox_client, DURABLE, {"name": "durable-keyless"})

        assert response.status_code == 201
        assert response.json()["name"] == "durable-keyless"
        assert not IdempotencyKey.objects.exists()


def _post_in_parallel(secret, bodies, *, key):
    """POST each body from its own thread (and database connection), all released at once."""
    barrier = threading.Barrier(len(bodies))
    responses = [None] * len(bodies)
    errors = []

    def run(index, body):
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
            barrier.wait(timeout=10)
            responses[index] = _post(client, KEYS, body, key=key)
        except Exception as exc:  # surfaced below: an assertion in a thread would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, body)) for i, body in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert all(r is not None for r in responses)
    return responses


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestIdempotencyUnderConcurrency:
    def test_parallel_requests_with_one_key_and_body_write_once(self, sandbox_key):
        body = {"name": "parallel", "sleep": 0.3}

        responses = _post_in_parallel(sandbox_key.secret, [body] * 10, key="k-parallel")

        original = [r for r in responses if r.status_code == 201 and "Idempotent-Replayed" not in r]
        replayed = [r for r in responses if r.status_code == 201 and r.get("Idempotent-Replayed") == "true"]
        in_use = [r for r in responses if r.status_code == 409]
        assert len(original) == 1
        assert len(original) + len(replayed) + len(in_use) == 10
        for response in in_use:
            assert_problem(response, 409, "idempotency_key_in_use")
            assert response["Retry-After"] == "1"
        assert all(r.json() == original[0].json() for r in replayed)
        assert _written("parallel") == 1
        record = IdempotencyKey.objects.get(key="k-parallel")
        assert record.status == IdempotencyKey.Status.COMPLETED
        assert record.response_body == original[0].json()

    def test_parallel_requests_with_one_key_and_two_bodies_write_once(self, sandbox_key):
        bodies = [{"name": "parallel-a", "sleep": 0.3}, {"name": "parallel-b", "sleep": 0.3}]

        responses = _post_in_parallel(sandbox_key.secret, bodies, key="k-parallel-two")

        winners = [r for r in responses if r.status_code == 201]
        losers = [r for r in responses if r.status_code != 201]
        assert len(winners) == len(losers) == 1
        codes = {409: "idempotency_key_in_use", 422: "idempotency_key_reused"}
        assert losers[0].status_code in codes
        assert_problem(losers[0], losers[0].status_code, codes[losers[0].status_code])
        won = winners[0].json()["name"]
        lost = next(body["name"] for body in bodies if body["name"] != won)
        assert _written(won) == 1
        assert _written(lost) == 0
        assert IdempotencyKey.objects.get(key="k-parallel-two").response_body == winners[0].json()
