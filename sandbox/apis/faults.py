"""``GET``, ``POST`` and ``DELETE /v1/sandbox/faults``: the fault injected into every request of this sandbox."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.faults import fault_of
from apps.core.principal import principal_of
from apps.partners.models import Environment
from apps.partners.services import sandbox_fault_set
from sandbox.apis.base import TAG, SandboxApi, example, problems
from sandbox.serializers import FaultsInputSerializer, FaultsSerializer
from sandbox.snapshots import faults_snapshot

ON = {"object": "sandbox_faults", "enabled": True, "latency_ms": 300, "status": 503, "rate": 0.1}
OFF = {"object": "sandbox_faults", "enabled": False, "latency_ms": 0, "status": None, "rate": 1.0}


class FaultsApi(SandboxApi):
    # The setting is never injected here, so a sandbox that answers 503 to everything can still turn it off.
    sandbox_fault_setting_applies = False

    @extend_schema(
        operation_id="sandbox_faults_retrieve",
        summary="Read the sandbox's fault setting",
        description="The fault injected into this sandbox's requests, if any (see the sandbox guide).",
        responses={200: FaultsSerializer, **problems()},
        tags=[TAG],
        examples=[example("Injecting", ON), example("Off", OFF)],
    )
    def get(self, request: Request) -> Response:
        environment = Environment.objects.get(pk=principal_of(request).environment.pk)
        return Response(faults_snapshot(environment))

    @extend_schema(
        operation_id="sandbox_faults_set",
        summary="Inject a fault into every sandbox request",
        description=(
            "From now on, `rate` of this sandbox's requests (every `/v1/` call with one of its credentials) wait "
            "`latency_ms` and/or are answered `status` (`sandbox_fault_injected`, nothing processed), as the "
            "`Causeway-Sandbox-Fault` header does for one request; a request's own header wins. The request log "
            "marks them. Out-of-range values are a 400 `sandbox_fault_invalid` and change nothing. Never in live. "
            "This endpoint itself is never faulted: `DELETE` turns the setting off."
        ),
        request=FaultsInputSerializer,
        responses={200: FaultsSerializer, **problems(400)},
        tags=[TAG],
        examples=[
            example("One in ten", {"latency_ms": 300, "status": 503, "rate": 0.1}, request=True),
            example("On", ON),
        ],
    )
    def post(self, request: Request) -> Response:
        body = FaultsInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        environment = sandbox_fault_set(
            environment=principal_of(request).environment, fault=fault_of(**body.validated_data)
        )
        return Response(faults_snapshot(environment))

    @extend_schema(
        operation_id="sandbox_faults_delete",
        summary="Stop injecting faults",
        description="Turn the sandbox's fault setting off (the `Causeway-Sandbox-Fault` header still works).",
        request=None,
        responses={200: FaultsSerializer, **problems()},
        tags=[TAG],
        examples=[example("Off", OFF)],
    )
    def delete(self, request: Request) -> Response:
        environment = sandbox_fault_set(environment=principal_of(request).environment, fault=None)
        return Response(faults_snapshot(environment))
