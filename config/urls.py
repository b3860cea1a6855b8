from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from apps.core.apis import ApiRootApi
from apps.core.docs_site import docs_site
from apps.core.metrics.views import metrics
from apps.core.schema_views import RedocView, SchemaView, SwaggerView
from apps.core.views import liveness, readiness
from apps.partners.portal.views import ActivateTotpView

# A request is matched against the patterns in order: the API comes first, and in it the paths that move money.
v1 = [
    path("", include("apps.transfers.urls")),
    path("", ApiRootApi.as_view(), name="root"),
    path("schema/", SchemaView.as_view(authentication_classes=[], permission_classes=[]), name="schema"),
    path(
        "docs/",
        SwaggerView.as_view(url_name="v1:schema", authentication_classes=[], permission_classes=[]),
        name="docs",
    ),
    path(
        "redoc/",
        RedocView.as_view(
            url_name="v1:schema",
            template_name="api/redoc.html",
            authentication_classes=[],
            permission_classes=[],
        ),
        name="redoc",
    ),
    path("", include("apps.partners.urls")),
    path("", include("apps.events.urls")),
    path("", include("apps.oauth_clients.apis.urls")),
    path("", include("apps.wallets.urls")),
    path("", include("apps.risk.urls")),
    path("", include("apps.webhooks.urls")),
    path("", include("apps.offers.urls")),
    path("", include("sandbox.urls")),
]

portal = [
    path("", include("apps.partners.portal.urls")),
    path("apps/", include("apps.oauth_clients.portal.urls")),
    path("webhooks/", include("apps.webhooks.portal.urls")),
    path("events/", include("apps.events.portal.urls")),
    path("offers/", include("apps.offers.portal.urls")),
    path("sandbox/", include("sandbox.portal_urls")),
]

urlpatterns = [
    path("v1/", include((v1, "v1"), namespace="v1")),
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
    path("portal/", include((portal, "portal"), namespace="portal")),
    # Before allauth's own: enrolling an authenticator needs a verified e-mail address (docs/portal/accounts.md).
    path("accounts/2fa/totp/activate/", ActivateTotpView.as_view(), name="mfa_activate_totp"),
    path("accounts/", include("allauth.urls")),
    path("holders/", include("apps.wallets.portal.urls")),
    path("account/", include("apps.oauth_clients.portal.holder_urls")),
    path("", include("apps.oauth_clients.urls")),
    # The docs site built by `make docs` (mkdocs.yml), served whatever DEBUG says.
    re_path(r"^docs/(?P<path>.*)$", docs_site, name="docs-site"),
    path("health/", liveness, name="health"),
    path("health/ready/", readiness, name="health-ready"),
    path("metrics", metrics, name="metrics"),
    path("staff/", include("apps.compliance.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "apps.core.views.not_found"
handler500 = "apps.core.views.server_error"
