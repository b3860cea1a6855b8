"""Scopes are checked in one place: every API view declares its scopes and answers to ``HasRequiredScopes``."""

from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from apps.core.apis import ApiRootApi
from apps.core.faults import SandboxFaults
from apps.core.permissions import HasRequiredScopes, scopes_required
from apps.core.schema_views import RedocView, SchemaView, SwaggerView

# Need no credential: the root only says where the docs are; the schema and its two readers are the reference.
PUBLIC = {ApiRootApi, SchemaView, SwaggerView, RedocView}


def _api_views() -> list[type]:
    def walk(patterns: list, prefix: str) -> list[tuple[str, type]]:
        found = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found += walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                cls = getattr(pattern.callback, "cls", None)
                if cls is not None and (prefix + str(pattern.pattern)).startswith("v1/"):
                    found.append((prefix + str(pattern.pattern), cls))
        return found

    return [cls for _, cls in walk(get_resolver().url_patterns, "") if cls.__module__.startswith(("apps.", "sandbox."))]


class TestEveryApiView:
    def test_declares_its_scopes_and_uses_the_one_scope_check(self):
        views = _api_views()
        assert len(views) > 20
        for view in views:
            if view in PUBLIC:
                continue
            assert view.required_scopes is not None, view
            # The scope check, then sandbox fault injection (which only ever acts on an allowed request).
            assert [type(p) for p in view().get_permissions()] == [HasRequiredScopes, SandboxFaults], view


class TestScopesInTheReference:
    def test_every_guarded_operation_lists_the_scopes_its_view_requires(self, api_client, db):
        schema = api_client.get("/v1/schema/?format=json").json()
        operations = {op["operationId"]: op for item in schema["paths"].values() for op in item.values()}

        assert "x-required-scopes" not in operations["api_root"]
        assert operations["partner_retrieve"]["x-required-scopes"] == []
        assert operations["transfer_create"]["x-required-scopes"] == ["transfers:write"]
        assert operations["transfer_list"]["x-required-scopes"] == ["transfers:read"]
        assert all("x-required-scopes" in op for name, op in operations.items() if name != "api_root")


class TestScopesRequired:
    def test_a_tuple_applies_to_every_method(self):
        view = SimpleNamespace(required_scopes=("events:read",))
        assert scopes_required(view, "GET") == scopes_required(view, "POST") == ("events:read",)

    def test_per_method_scopes_with_head_as_get_and_nothing_for_an_unnamed_method(self):
        view = SimpleNamespace(required_scopes={"GET": ("transfers:read",), "POST": ("transfers:write",)})
        assert scopes_required(view, "POST") == ("transfers:write",)
        assert scopes_required(view, "HEAD") == ("transfers:read",)
        assert scopes_required(view, "PUT") == ()

    def test_a_view_without_a_declaration_is_a_programming_error(self):
        with pytest.raises(AssertionError, match="must declare required_scopes"):
            scopes_required(SimpleNamespace(), "GET")
