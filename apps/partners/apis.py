"""``GET /v1/partner``: who is this credential? The first call a partner makes."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.principal import principal_of
from apps.partners.serializers import PartnerWhoamiSerializer
from apps.partners.snapshots import whoami_snapshot


class PartnerRetrieveApi(APIView):
    required_scopes: tuple[str, ...] = ()

    @extend_schema(
        operation_id="partner_retrieve",
        summary="Who am I",
        description=(
            "The partner, environment and scopes of the credential making the call. Needs no scope, so it is "
            "the simplest way to check a key: `curl -H 'Authorization: Bearer cw_sk_sandbox_...' "
            "$CAUSEWAY_BASE_URL/v1/partner`."
        ),
        responses={200: PartnerWhoamiSerializer},
        tags=["Partner"],
        examples=[
            OpenApiExample(
                "Sandbox secret key",
                response_only=True,
                value={
                    "object": "partner",
                    "id": "pt_4vQx8ZpL2mN7cR1sT9uW3yBd",
                    "name": "Acme Pay",
                    "environment": "sandbox",
                    "livemode": False,
                    "api_version": "2026-12-07",
                    "environments": ["sandbox"],
                    "credential": {
                        "type": "api_key",
                        "id": "key_8bN2cV5xZ1aS4dF7gH0jK3lQ",
                        "scopes": [
                            "consents:write",
                            "events:read",
                            "offers:write",
                            "points:write",
                            "sandbox:write",
                            "webhooks:write",
                        ],
                    },
                    "created_at": "2026-11-22T09:30:00Z",
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        principal = principal_of(request)
        kinds = principal.partner.environments.values_list("kind", flat=True)
        return Response(whoami_snapshot(principal, environments=sorted(kinds, key=["sandbox", "live"].index)))
