"""Portal URLs of apps.partners. Composed with the other apps' portal URLs under the ``portal`` namespace in
config/urls.py."""

from django.urls import include, path

from apps.partners.portal import api_version, explorer, sandbox, views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("switch/environment", views.SwitchEnvironmentView.as_view(), name="switch-environment"),
    path("switch/partner", views.SwitchPartnerView.as_view(), name="switch-partner"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("api-version/", api_version.ApiVersionView.as_view(), name="api-version"),
    path("explorer/", explorer.ExplorerView.as_view(), name="explorer"),
    path("explorer/ui/", explorer.ExplorerUiView.as_view(), name="explorer-ui"),
    path("sandbox/reset", sandbox.SandboxResetView.as_view(), name="sandbox-reset"),
    path("welcome/", views.OnboardingView.as_view(), name="onboarding"),
    path("mfa-required/", views.MfaRequiredView.as_view(), name="mfa-required"),
    path("keys/", include("apps.partners.portal.keys_urls")),
    path("team/", include("apps.partners.portal.team_urls")),
    path("logs/", include("apps.partners.portal.logs_urls")),
    path("audit/", include("apps.partners.portal.audit_urls")),
    path("live/", include("apps.partners.portal.live_urls")),
]
