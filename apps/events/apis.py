"""``GET /v1/events`` and ``GET /v1/events/{id}``: the partner's outbox as a feed (scope ``events:read``)."""

from datetime import UTC, datetime, timedelta

from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import BadRequest
from apps.core.openapi_contract import DATE_TIME_OR_UNIX_SCHEMA
from apps.core.pagination import PAGINATION_PARAMETERS, list_serializer, paginate
from apps.core.principal import principal_of
from apps.core.scopes import EVENTS_READ
from apps.events.selectors import event_get, event_list
from apps.events.serializers import EventSerializer
from apps.events.snapshots import event_snapshot

EventListSerializer = list_serializer("EventList", EventSerializer)

_EXAMPLE = {
    "id": "evt_7Hk2LmQ9rT4vX1zB8nC3dF6g",
    "object": "event",
    "type": "transfer.succeeded",
    "environment": "sandbox",
    "api_version": "2026-12-07",
    "created_at": "2026-11-22T09:30:00Z",
    "sequence": 2,
    "data": {
        "object": {"id": "tr_9sD2fG5hJ8kL1zX4cV7bN0mQ", "object": "transfer", "status": "succeeded"},
        "previous_attributes": {"status": "pending"},
    },
}


_TIME_FILTERS = {
    "created[gte]": "at or after",
    "created[gt]": "after",
    "created[lte]": "at or before",
    "created[lt]": "before",
}


def parse_time(name: str, raw: str) -> datetime:
    """An RFC 3339 time (with an offset or ``Z``) or Unix seconds; anything else is a 400 naming the parameter."""
    value: datetime | None = None
    if raw.isascii() and raw.isdigit():
        try:
            value = datetime.fromtimestamp(int(raw), tz=UTC)
        except (OverflowError, OSError, ValueError):  # beyond the years a datetime holds
            value = None
    else:
        try:
            value = parse_datetime(raw)
        except ValueError:
            value = None
        if value is not None and value.tzinfo is None:
            value = None
    if value is None:
        message = "Must be an RFC 3339 time with an offset (2026-11-22T09:30:00Z) or Unix seconds."
        raise BadRequest(
            f"{name}: {message}",
            code="parameter_invalid",
            errors=[{"field": name, "code": "parameter_invalid", "message": message}],
        )
    return value


def time_range(params: object) -> tuple[datetime | None, datetime | None]:
    """``created[gte|gt|lte|lt]`` as a half-open range ``[gte, lt)``. Times have microseconds, so ``gt`` and
    ``lte`` move the bound by one microsecond."""
    get = params.get  # type: ignore[attr-defined]
    gte = lt = None
    if raw := get("created[gte]"):
        gte = parse_time("created[gte]", raw)
    if raw := get("created[gt]"):
        gt = parse_time("created[gt]", raw) + timedelta(microseconds=1)
        gte = max(gte, gt) if gte else gt
    if raw := get("created[lt]"):
        lt = parse_time("created[lt]", raw)
    if raw := get("created[lte]"):
        lte = parse_time("created[lte]", raw) + timedelta(microseconds=1)
        lt = min(lt, lte) if lt else lte
    return gte, lt


class EventListApi(APIView):
    required_scopes = (EVENTS_READ,)

    @extend_schema(
        operation_id="event_list",
        summary="List events",
        description=(
            "Events of this credential's partner and environment from the last 30 days, newest first, with cursor "
            "pagination. Filter by type and by creation time (`created[gte]`, `created[gt]`, `created[lte]`, "
            "`created[lt]`: RFC 3339 or Unix seconds). Each payload is a snapshot of the object when the event "
            "happened; `sequence` orders the events of one object."
        ),
        parameters=[
            *PAGINATION_PARAMETERS,
            OpenApiParameter("type", str, many=True, description="Only events of these types (repeatable)."),
            *(
                OpenApiParameter(name, DATE_TIME_OR_UNIX_SCHEMA, description=f"Only events created {words} this time.")
                for name, words in _TIME_FILTERS.items()
            ),
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
        created_gte, created_lt = time_range(request.query_params)
        events = event_list(
            principal=principal_of(request),
            types=request.query_params.getlist("type"),
            created_gte=created_gte,
            created_lt=created_lt,
        )
        page = paginate(events.select_related("environment"), params=request.query_params)
        return Response(page.render(event_snapshot))


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
        return Response(event_snapshot(event_get(principal=principal_of(request), event_id=event_id)))
