"""``POST /v1/sandbox/reset``, ``GET /v1/sandbox/clock`` and ``POST /v1/sandbox/clock/advance``."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.idempotent_post import idempotent_post
from apps.core.principal import principal_of
from apps.core.serializers import InputSerializer
from apps.partners.services import sandbox_reset_request
from sandbox.apis.base import IDEMPOTENCY, TAG, SandboxApi, example, problems
from sandbox.clock import clock_advance
from sandbox.serializers import ClockAdvanceInputSerializer, ClockSerializer, ResetSerializer
from sandbox.snapshots import clock_snapshot, reset_snapshot

CLOCK = {"object": "sandbox_clock", "now": "2026-12-08T10:00:00Z", "offset_seconds": 86400}


class ResetApi(SandboxApi):
    @extend_schema(
        operation_id="sandbox_reset",
        summary="Reset the sandbox",
        description=(
            "Restore this sandbox to its seeded state, in the worker: its transfers, consents, holders, wallets and "
            "transactions go, the sandbox clock goes back to real time, and the same seed is applied again (the "
            "same people and history, new ids); then `sandbox.reset` is sent. Webhook endpoints, keys and apps "
            "stay. Answers `pending` at once; a reset already under way is a 409 `sandbox_busy`."
        ),
        request=None,
        parameters=[IDEMPOTENCY],
        responses={202: ResetSerializer, **problems(400, 409, 422)},
        tags=[TAG],
        examples=[example("Queued", {"object": "sandbox_reset", "status": "pending"})],
    )
    def post(self, request: Request) -> Response:
        environment = principal_of(request).environment
        return idempotent_post(
            request,
            body=InputSerializer,  # takes no parameters: anything sent is refused (parameter_unknown)
            status=202,
            render=reset_snapshot,
            perform=lambda data, handle: sandbox_reset_request(environment=environment),
        )


class ClockApi(SandboxApi):
    @extend_schema(
        operation_id="sandbox_clock_retrieve",
        summary="Read the sandbox clock",
        description="The sandbox's time and how far it runs ahead of real time.",
        responses={200: ClockSerializer, **problems()},
        tags=[TAG],
        examples=[example("A day ahead", CLOCK)],
    )
    def get(self, request: Request) -> Response:
        environment = principal_of(request).environment
        environment.refresh_from_db(fields=["clock_offset"])
        return Response(clock_snapshot(environment))


class ClockAdvanceApi(SandboxApi):
    @extend_schema(
        operation_id="sandbox_clock_advance",
        summary="Move the sandbox clock forward",
        description=(
            "Move this sandbox's time `seconds` forward (1 second to a year; backwards or further is a 400 "
            "`sandbox_clock_invalid`), then run what fell due: pending card payments post two days after their "
            "authorisation, due top-up and payout steps run, webhook retries come due, consents expire "
            "(`consent.expired`) or near expiry (`consent.expiring`), API keys age. See the sandbox guide."
        ),
        request=ClockAdvanceInputSerializer,
        parameters=[IDEMPOTENCY],
        responses={200: ClockSerializer, **problems(400, 409, 422)},
        tags=[TAG],
        examples=[example("A day", {"seconds": 86400}, request=True), example("The clock", CLOCK)],
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        return idempotent_post(
            request,
            body=ClockAdvanceInputSerializer,
            status=200,
            render=clock_snapshot,
            perform=lambda data, handle: clock_advance(
                principal=principal, seconds=data["seconds"], idempotency=handle
            ),
            perform_completes=True,
        )
