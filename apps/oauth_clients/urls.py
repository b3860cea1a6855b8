"""The authorization server's URLs, mounted at the site root by ``config.urls``. Only these endpoints exist:
discovery, authorize (with the holder's sign-in), token, revoke and introspect. django-oauth-toolkit's own
management, device and OIDC views are not mounted. The namespace is DOT's, so its discovery view finds them."""

from django.urls import path

from apps.oauth_clients.server import consent, views

app_name = "oauth2_provider"

urlpatterns = [
    path(".well-known/oauth-authorization-server", views.CausewayMetadataView.as_view(), name="oauth-server-metadata"),
    path("o/authorize/", consent.AuthorizeView.as_view(), name="authorize"),
    path("o/login/", consent.HolderLoginView.as_view(), name="holder-login"),
    path("o/logout/", consent.HolderLogoutView.as_view(), name="holder-logout"),
    path("o/token/", views.CausewayTokenView.as_view(), name="token"),
    path("o/revoke/", views.CausewayRevokeTokenView.as_view(), name="revoke-token"),
    path("o/introspect/", views.IntrospectView.as_view(), name="introspect"),
]
