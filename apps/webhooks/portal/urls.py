"""Portal URLs of apps.webhooks, mounted at /portal/webhooks/ under the ``portal`` namespace (config/urls.py)."""

from django.urls import path

from apps.webhooks.portal import views

urlpatterns = [
    path("", views.EndpointListView.as_view(), name="webhooks-list"),
    path("new/", views.EndpointCreateView.as_view(), name="webhooks-create"),
    path("<str:endpoint_id>/", views.EndpointDetailView.as_view(), name="webhooks-detail"),
    path("<str:endpoint_id>/edit/", views.EndpointEditView.as_view(), name="webhooks-edit"),
    path("<str:endpoint_id>/rotate-secret/", views.EndpointRotateView.as_view(), name="webhooks-rotate"),
    path("<str:endpoint_id>/delete/", views.EndpointDeleteView.as_view(), name="webhooks-delete"),
    path("<str:endpoint_id>/test/", views.EndpointTestView.as_view(), name="webhooks-test"),
    path("<str:endpoint_id>/replay/", views.EndpointReplayView.as_view(), name="webhooks-replay"),
    path(
        "<str:endpoint_id>/deliveries/<str:delivery_id>/",
        views.DeliveryDetailView.as_view(),
        name="webhooks-delivery",
    ),
    path(
        "<str:endpoint_id>/deliveries/<str:delivery_id>/resend/",
        views.DeliveryResendView.as_view(),
        name="webhooks-resend",
    ),
]
