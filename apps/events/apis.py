"""``GET /v1/events`` and ``GET /v1/events/{id}``: the partner's outbox as a feed (scope ``events:read``)."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.pagination import PAGINATION_PARAMETERS, list_serializer, paginate
from apps.core.scopes import EVENTS_READ
from apps.events.selectors import event_get, event_list
from apps.events.serializers import EventSerializer

EventListSerializer = list_serializer("EventList", EventSerializer)

_EXAMPLE = {
    "id": "evt_7Hk2LmQ9rT4vX1zB8nC3dF6g",
    "object": "event",
    "type": "transfer.succeeded",
    "environment": "sandbox",
    "api_version": "2026-11-01",
    "created_at": "2026-11-22T09:30:00Z",
    "sequence": 2,
    "data": {
        "object": {"id": "tr_9sD2fG5hJ8kL1zX4cV7bN0mQ", "object": "transfer", "status": "succeeded"},
        "previous_attributes": {"status": "pending"},
    },
}


class EventListApi(APIView):
    required_scopes = (EVENTS_READ,)

    @extend_schema(
        operation_id="event_list",
        summary="List events",
        description="Events of this credential's partner and environment, newest first, with cursor pagination.",
        parameters=[
            *PAGINATION_PARAMETERS,
            OpenApiParameter("type", str, many=True, description="Only events of these types (repeatable)."),
        ],
        responses={200: EventListSerializer},
        tags=["Events"],
        examples=[
            OpenApiExample(
                "A page of events",
                response_only=True,
                value={"object": "list", "data": [_EXAMPLE], "has_more": True, "next_cursor": _EXAMPLE["id"]},
            )
        ],
    )
    def get(self, request: Request) -> Response:
        events = event_list(principal=request.auth, types=request.query_params.getlist("type"))
        page = paginate(events.select_related("environment"), params=request.query_params)
        return Response(page.as_response(EventSerializer))


class EventRetrieveApi(APIView):
    required_scopes = (EVENTS_READ,)

    @extend_schema(
        operation_id="event_retrieve",
        summary="Retrieve an event",
        description="One event by id. Another partner's or environment's event is a 404.",
        responses={200: EventSerializer},
        tags=["Events"],
        examples=[OpenApiExample("An event", response_only=True, value=_EXAMPLE)],
    )
    def get(self, request: Request, event_id: str) -> Response:
        return Response(EventSerializer(event_get(principal=request.auth, event_id=event_id)).data)
