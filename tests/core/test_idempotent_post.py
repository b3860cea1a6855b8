"""``apps.core.idempotent_post``: the one shape of an idempotent POST view. This module is also the URLconf of its
tests: the real API plus ``/v1/test/names``, a view written with the helper that creates an API key."""

from typing import Any

import pytest
from django.urls import path
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.idempotent_post import idempotent_post
from apps.core.models import IdempotencyKey
from apps.core.principal import principal_of
from apps.core.serializers import InputSerializer
from apps.partners.models import ApiKey
from apps.partners.services import api_key_create
from config.urls import handler404, handler500
from config.urls import urlpatterns as api_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class _NameInput(InputSerializer):
    name = serializers.CharField(max_length=100)


class NameCreateApi(APIView):
    required_scopes: tuple[str, ...] = ()

    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        return idempotent_post(
            request,
            body=_NameInput if "ignore_body" not in request.query_params else None,
            status=201,
            render=lambda api_key: {"id": api_key.public_id, "name": api_key.name},
            perform=lambda data, handle: (
                api_key_create(environment=principal.environment, name=data.get("name", "unnamed")).api_key
            ),
            key_required=True,
        )


urlpatterns = [path("v1/test/names", NameCreateApi.as_view()), *api_urlpatterns]


def _post(client: Any, body: dict[str, Any], *, key: str | None = "k-1", query: str = "") -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(f"/v1/test/names{query}", body, format="json", **headers)


class TestIdempotentPost:
    def test_creates_once_and_replays_the_first_response(self, sandbox_client):
        first = _post(sandbox_client, {"name": "Reporting"})
        again = _post(sandbox_client, {"name": "Reporting"})

        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()
        assert again["Idempotent-Replayed"] == "true"
        assert ApiKey.objects.filter(name="Reporting").count() == 1

    def test_an_invalid_body_is_refused_before_the_key_is_claimed(self, sandbox_client):
        refused = _post(sandbox_client, {"name": "Reporting", "typo": 1})

        assert refused.status_code == 400
        assert refused.json()["code"] == "parameter_unknown"
        assert not IdempotencyKey.objects.exists()
        assert _post(sandbox_client, {"name": "Reporting"}).status_code == 201

    def test_a_required_key_is_asked_for(self, sandbox_client):
        response = _post(sandbox_client, {"name": "Reporting"}, key=None)

        assert response.status_code == 400
        assert response.json()["code"] == "idempotency_key_required"

    def test_without_a_body_serializer_the_body_is_not_read(self, sandbox_client):
        response = _post(sandbox_client, {"anything": "goes"}, query="?ignore_body=1")

        assert response.status_code == 201
        assert response.json()["name"] == "unnamed"
