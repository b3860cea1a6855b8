"""The holder's own pages, mounted at /account/ under the ``account`` namespace (config/urls.py)."""

from django.urls import path

from apps.oauth_clients.portal import connections

app_name = "account"

urlpatterns = [
    path("connections/", connections.ConnectionListView.as_view(), name="connections"),
    path("personalisation/", connections.PersonalisationView.as_view(), name="personalisation"),
    path(
        "connections/<str:consent_id>/disconnect/",
        connections.ConnectionRevokeView.as_view(),
        name="connection-revoke",
    ),
]
