"""Portal URLs of apps.oauth_clients, mounted at /portal/apps/ under the ``portal`` namespace (config/urls.py).
Apps are addressed by their client id."""

from django.urls import path

from apps.oauth_clients.portal import tester, views

urlpatterns = [
    path("", views.ApplicationListView.as_view(), name="apps-list"),
    path("new/", views.ApplicationCreateView.as_view(), name="apps-create"),
    path("<str:client_id>/", views.ApplicationDetailView.as_view(), name="apps-detail"),
    path("<str:client_id>/edit/", views.ApplicationEditView.as_view(), name="apps-edit"),
    path("<str:client_id>/rotate-secret/", views.ApplicationRotateSecretView.as_view(), name="apps-rotate-secret"),
    path("<str:client_id>/delete/", views.ApplicationDeleteView.as_view(), name="apps-delete"),
    path("<str:client_id>/test/", tester.ApplicationTestView.as_view(), name="apps-test"),
    path("<str:client_id>/test/callback/", tester.ApplicationTestCallbackView.as_view(), name="apps-test-callback"),
]
