"""Cursor (keyset) pagination, newest first.

``?limit=`` (1-100, default 20; anything else is a 400) and ``?starting_after=<public id>``. Pages are cut on
the internal primary key, which only grows, so objects inserted while a client pages never shift or repeat
the pages it has not read yet. The cursor object is looked up inside the same (tenant-scoped) queryset, so
another tenant's id is simply an unknown cursor.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from apps.core.errors import ApplicationError, BadRequest, referenced_object_missing

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True)
class Page:
    items: list[Any]
    has_more: bool

    @property
    def next_cursor(self) -> str | None:
        return self.items[-1].public_id if self.has_more and self.items else None

    def render(self, to_dict: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
        """The page as a list object, each item rendered by ``to_dict`` (the object's snapshot function)."""
        return {
            "object": "list",
            "data": [to_dict(item) for item in self.items],
            "has_more": self.has_more,
            "next_cursor": self.next_cursor,
        }


def _invalid(field: str, message: str) -> ApplicationError:
    return BadRequest(
        f"{field}: {message}",
        code="parameter_invalid",
        errors=[{"field": field, "code": "parameter_invalid", "message": message}],
    )


def parse_limit(raw: str | None) -> int:
    # Not given: the default. Given blank, it is not 1 to 100: the schema says an integer, so a 400 (unlike a
    # blank filter, which the schema lets stand for none).
    if raw is None:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise _invalid("limit", f"Must be an integer between 1 and {MAX_LIMIT}.") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise _invalid("limit", f"Must be between 1 and {MAX_LIMIT}; got {limit}.")
    return limit


def paginate(queryset: QuerySet, *, params: Any) -> Page:
    """Cut one page from ``queryset`` (already tenant-scoped) using the request's query parameters."""
    limit = parse_limit(params.get("limit"))
    queryset = queryset.order_by("-pk")
    starting_after = params.get("starting_after")
    if starting_after:
        cursor_pk = queryset.filter(public_id=starting_after).values_list("pk", flat=True).first()
        if cursor_pk is None:
            raise referenced_object_missing("starting_after", f"No object {starting_after!r} in this list.")
        queryset = queryset.filter(pk__lt=cursor_pk)
    items = list(queryset[: limit + 1])
    return Page(items=items[:limit], has_more=len(items) > limit)


PAGINATION_PARAMETERS = [
    OpenApiParameter("limit", int, description="Page size, 1 to 100 (default 20)."),
    OpenApiParameter("starting_after", str, description="Return objects after this id (the previous next_cursor)."),
]


def list_serializer(name: str, item: type[serializers.BaseSerializer]) -> type[serializers.Serializer]:
    """An OpenAPI-only serializer describing ``{"object": "list", "data": [...], "has_more", "next_cursor"}``."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "object": serializers.CharField(default="list"),
            "data": item(many=True),
            "has_more": serializers.BooleanField(),
            "next_cursor": serializers.CharField(allow_null=True),
        },
    )
