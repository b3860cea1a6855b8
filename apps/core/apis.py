"""``GET /v1/``: the API root, reachable without a credential, pointing at the docs."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import versioning


class ApiRootApi(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    required_scopes: tuple[str, ...] = ()

    @extend_schema(
        operation_id="api_root",
        summary="API root",
        description="Where the documentation lives. Needs no credential.",
        auth=[],
        tags=["Meta"],
        responses={
            200: inline_serializer(
                "ApiRoot",
                {
                    "object": serializers.CharField(),
                    "version": serializers.CharField(),
                    "api_version": serializers.CharField(),
                    "schema": serializers.URLField(),
                    "docs": serializers.URLField(),
                    "redoc": serializers.URLField(),
                },
            )
        },
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "object": "api",
                "version": "v1",
                "api_version": versioning.LATEST,
                "schema": request.build_absolute_uri("/v1/schema/"),
                "docs": request.build_absolute_uri("/v1/docs/"),
                "redoc": request.build_absolute_uri("/v1/redoc/"),
            }
        )
