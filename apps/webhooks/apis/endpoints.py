"""``/v1/webhook_endpoints``: register, list, change and delete endpoints, rotate their secret, send a test event,
resend one event, replay a range, and read the delivery log. Everything needs ``webhooks:write``; another
partner's or environment's endpoint is a 404."""

from datetime import timedelta

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import NotFound
from apps.core.idempotent_post import idempotent_post
from apps.core.openapi import problem_responses as _problems
from apps.core.openapi_contract import IDEMPOTENCY_KEY_ACCEPTED
from apps.core.pagination import PAGINATION_PARAMETERS, list_serializer, paginate
from apps.core.principal import principal_of
from apps.core.scopes import WEBHOOKS_WRITE
from apps.core.serializers import InputSerializer
from apps.webhooks import selectors, services
from apps.webhooks.apis import examples
from apps.webhooks.models import WebhookEndpoint
from apps.webhooks.serializers import (
    DeliverySerializer,
    EndpointCreateInputSerializer,
    EndpointDeletedSerializer,
    EndpointSerializer,
    EndpointUpdateInputSerializer,
    EndpointWithSecretSerializer,
    ReplayInputSerializer,
    ReplaySerializer,
    ResendInputSerializer,
    RotateSecretInputSerializer,
)
from apps.webhooks.snapshots import (
    delivery_snapshot,
    endpoint_deleted_snapshot,
    endpoint_snapshot,
    replay_snapshot,
    with_secret,
)

TAG = "Webhook endpoints"
EndpointListSerializer = list_serializer("WebhookEndpointList", EndpointSerializer)
DeliveryListSerializer = list_serializer("WebhookDeliveryList", DeliverySerializer)


def _endpoint(request: Request, endpoint_id: str) -> WebhookEndpoint:
    principal = principal_of(request)
    return selectors.endpoint_get(partner=principal.partner, environment=principal.environment, endpoint_id=endpoint_id)


def _fill_secret(request: Request, response: Response) -> Response:
    """The stored (replayable) response never holds the secret: it is read from the encrypted store here, for
    the first response and for a replay alike."""
    if isinstance(response.data, dict) and response.data.get("id"):
        try:
            endpoint = _endpoint(request, response.data["id"])
        except NotFound:
            return response
        response.data["secret"] = services.current_secret(endpoint)
    return response


class _WebhooksApi(APIView):
    required_scopes = (WEBHOOKS_WRITE,)


class EndpointListCreateApi(_WebhooksApi):
    @extend_schema(
        operation_id="webhook_endpoint_list",
        summary="List webhook endpoints",
        description="This environment's endpoints, newest first. Secrets are never listed.",
        parameters=PAGINATION_PARAMETERS,
        responses={200: EndpointListSerializer, **_problems(400, 403)},
        tags=[TAG],
        examples=examples.ENDPOINT_LIST,
    )
    def get(self, request: Request) -> Response:
        principal = principal_of(request)
        endpoints = selectors.endpoint_list(partner=principal.partner, environment=principal.environment)
        return Response(paginate(endpoints, params=request.query_params).render(endpoint_snapshot))

    @extend_schema(
        operation_id="webhook_endpoint_create",
        summary="Create a webhook endpoint",
        description=(
            "Register a URL to receive events. It must be https and reach a public address (checked now and again "
            "before every delivery). The response carries the signing `secret` (`whsec_...`, Standard Webhooks): "
            "it is shown only here and on rotation. Accepts `Idempotency-Key` (a replayed response carries the "
            "secret too). At most 16 endpoints per environment."
        ),
        request=EndpointCreateInputSerializer,
        parameters=[IDEMPOTENCY_KEY_ACCEPTED],
        responses={201: EndpointWithSecretSerializer, **_problems(400, 403, 409, 422)},
        tags=[TAG],
        examples=examples.ENDPOINT_CREATE,
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        response = idempotent_post(
            request,
            body=EndpointCreateInputSerializer,
            status=201,
            render=lambda endpoint: with_secret(endpoint_snapshot(endpoint), None),
            perform=lambda data, handle: services.endpoint_create(
                partner=principal.partner,
                environment=principal.environment,
                url=data["url"],
                enabled_events=data["enabled_events"],
                description=data["description"],
                api_version=data.get("api_version"),
                metadata=data["metadata"],
                request=request._request,
            ),
        )
        return _fill_secret(request, response)


class EndpointDetailApi(_WebhooksApi):
    @extend_schema(
        operation_id="webhook_endpoint_retrieve",
        summary="Retrieve a webhook endpoint",
        description="One endpoint (without its secret).",
        responses={200: EndpointSerializer, **_problems(403, 404)},
        tags=[TAG],
        examples=examples.ENDPOINT_RETRIEVE,
    )
    def get(self, request: Request, endpoint_id: str) -> Response:
        return Response(endpoint_snapshot(_endpoint(request, endpoint_id)))

    @extend_schema(
        operation_id="webhook_endpoint_update",
        summary="Update a webhook endpoint",
        description=(
            "Change the URL (checked by the SSRF guard), subscribed events, description, API version or metadata; "
            "`disabled: true` stops deliveries and cancels pending ones, `disabled: false` enables it again."
        ),
        request=EndpointUpdateInputSerializer,
        responses={200: EndpointSerializer, **_problems(400, 403, 404)},
        tags=[TAG],
        examples=examples.ENDPOINT_UPDATE,
    )
    def patch(self, request: Request, endpoint_id: str) -> Response:
        endpoint = _endpoint(request, endpoint_id)
        serializer = EndpointUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.endpoint_update(
            endpoint=endpoint, changes=dict(serializer.validated_data), request=request._request
        )
        return Response(endpoint_snapshot(updated))

    @extend_schema(
        operation_id="webhook_endpoint_delete",
        summary="Delete a webhook endpoint",
        description="Deletes the endpoint, its pending deliveries and its delivery log.",
        responses={200: EndpointDeletedSerializer, **_problems(403, 404)},
        tags=[TAG],
        examples=examples.ENDPOINT_DELETE,
    )
    def delete(self, request: Request, endpoint_id: str) -> Response:
        endpoint = _endpoint(request, endpoint_id)
        public_id = endpoint.public_id
        services.endpoint_delete(endpoint=endpoint, request=request._request)
        return Response(endpoint_deleted_snapshot(public_id))


class EndpointRotateSecretApi(_WebhooksApi):
    @extend_schema(
        operation_id="webhook_endpoint_rotate_secret",
        summary="Rotate the signing secret",
        description=(
            "Issue a new secret (returned once, here). Until `previous_secret_expires_in` seconds have passed "
            "(default 24 h, at most 7 days, 0 for at once) every delivery carries two signatures, one per "
            "secret, so receivers can switch without rejecting a message."
        ),
        request=RotateSecretInputSerializer,
        responses={200: EndpointWithSecretSerializer, **_problems(400, 403, 404)},
        tags=[TAG],
        examples=examples.ENDPOINT_ROTATE_SECRET,
    )
    def post(self, request: Request, endpoint_id: str) -> Response:
        endpoint = _endpoint(request, endpoint_id)
        serializer = RotateSecretInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rotated = services.endpoint_rotate_secret(
            endpoint=endpoint,
            previous_valid_for=timedelta(seconds=serializer.validated_data["previous_secret_expires_in"]),
            request=request._request,
        )
        return Response(with_secret(endpoint_snapshot(rotated), services.current_secret(rotated)))


class EndpointReplayApi(_WebhooksApi):
    @extend_schema(
        operation_id="webhook_endpoint_replay",
        summary="Replay events to an endpoint",
        description=(
            "Send again every event created in `[since, until)` (within the 30 days events are kept) that the "
            "endpoint subscribes to, optionally only of `types`. Each is delivered with its original id, so "
            "receivers deduplicate on `webhook-id`. At most 10,000 events (`replay_too_large`). Accepts "
            "`Idempotency-Key`."
        ),
        request=ReplayInputSerializer,
        parameters=[IDEMPOTENCY_KEY_ACCEPTED],
        responses={202: ReplaySerializer, **_problems(400, 403, 404, 409, 422)},
        tags=[TAG],
        examples=examples.ENDPOINT_REPLAY,
    )
    def post(self, request: Request, endpoint_id: str) -> Response:
        endpoint = _endpoint(request, endpoint_id)
        return idempotent_post(
            request,
            body=ReplayInputSerializer,
            status=202,
            render=replay_snapshot,
            perform=lambda data, handle: services.endpoint_replay(
                endpoint=endpoint,
                since=data["since"],
                until=data.get("until"),
                types=data.get("types"),
                request=request._request,
            ),
        )


class EndpointResendApi(_WebhooksApi):
    @extend_schema(
        operation_id="webhook_endpoint_resend",
        summary="Resend one event",
        description=(
            "Deliver one event to this endpoint again now, with a fresh round of retries. Accepts `Idempotency-Key`."
        ),
        request=ResendInputSerializer,
        parameters=[IDEMPOTENCY_KEY_ACCEPTED],
        responses={202: DeliverySerializer, **_problems(400, 403, 404, 409)},
        tags=[TAG],
        examples=examples.ENDPOINT_RESEND,
    )
    def post(self, request: Request, endpoint_id: str) -> Response:
        endpoint = _endpoint(request, endpoint_id)
        return idempotent_post(
            request,
            body=ResendInputSerializer,
            status=202,
            render=delivery_snapshot,
            perform=lambda data, handle: services.endpoint_resend(endpoint=endpoint, event_id=data["event"]),
        )


class EndpointTestApi(_WebhooksApi):
    @extend_schema(
        operation_id="webhook_endpoint_send_test",
        summary="Send a test event",
        description=(
            "Record a `webhook_endpoint.test` event about this endpoint and deliver it to this endpoint only, "
            "signed like any other. Accepts `Idempotency-Key`."
        ),
        request=None,
        parameters=[IDEMPOTENCY_KEY_ACCEPTED],
        responses={202: DeliverySerializer, **_problems(400, 403, 404, 409)},
        tags=[TAG],
        examples=examples.ENDPOINT_SEND_TEST,
    )
    def post(self, request: Request, endpoint_id: str) -> Response:
        endpoint = _endpoint(request, endpoint_id)
        return idempotent_post(
            request,
            body=InputSerializer,  # a test event takes no parameters: anything sent is refused (parameter_unknown)
            status=202,
            render=delivery_snapshot,
            perform=lambda data, handle: services.endpoint_send_test(endpoint=endpoint),
        )


class DeliveryListApi(_WebhooksApi):
    @extend_schema(
        operation_id="webhook_delivery_list",
        summary="List an endpoint's deliveries",
        description="Deliveries to this endpoint, newest first: status, attempts, last status code and error.",
        parameters=PAGINATION_PARAMETERS,
        responses={200: DeliveryListSerializer, **_problems(400, 403, 404)},
        tags=[TAG],
        examples=examples.DELIVERY_LIST,
    )
    def get(self, request: Request, endpoint_id: str) -> Response:
        endpoint = _endpoint(request, endpoint_id)
        deliveries = selectors.delivery_list(endpoint=endpoint).select_related("endpoint")
        return Response(paginate(deliveries, params=request.query_params).render(delivery_snapshot))
