"""Parallel refreshes of one refresh token, with real threads on PostgreSQL: exactly one gets a new pair."""

import threading

import pytest
from django.test import Client

from apps.oauth_clients.models import AccessToken, RefreshToken
from tests.oauth_clients import flow
from tests.threads import run_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class TestParallelRefresh:
    def test_twenty_parallel_refreshes_of_one_token_give_exactly_one_new_pair(self):
        s = flow.setup()
        client = Client()
        code, verifier = flow.code_for(client, s)
        first = flow.exchange(client, s, code, verifier).json()
        start = threading.Barrier(20)
        answers: list[tuple[int, dict]] = []

        def refresh() -> None:
            start.wait()
            response = flow.refresh(Client(), s, first["refresh_token"])
            answers.append((response.status_code, response.json()))

        raised = run_threads({f"refresh-{n}": refresh for n in range(20)})

        assert raised == {}
        winners = [body for status, body in answers if status == 200]
        assert len(winners) == 1, answers
        assert sorted({body["error"] for status, body in answers if status != 200}) == ["invalid_grant"]
        # The family survives the race: the one new pair works and refreshes again.
        assert AccessToken.objects.count() == 1
        assert RefreshToken.objects.filter(revoked__isnull=True).count() == 1
        assert client.get("/v1/wallets", **flow.bearer(winners[0]["access_token"])).status_code == 200
        assert flow.refresh(client, s, winners[0]["refresh_token"]).status_code == 200
