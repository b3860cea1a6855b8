from django.urls import path

from apps.webhooks.apis.endpoints import (
    DeliveryListApi,
    EndpointDetailApi,
    EndpointListCreateApi,
    EndpointReplayApi,
    EndpointResendApi,
    EndpointRotateSecretApi,
    EndpointTestApi,
)

urlpatterns = [
    path("webhook_endpoints", EndpointListCreateApi.as_view(), name="webhook-endpoint-list"),
    path("webhook_endpoints/<str:endpoint_id>", EndpointDetailApi.as_view(), name="webhook-endpoint-detail"),
    path(
        "webhook_endpoints/<str:endpoint_id>/rotate_secret",
        EndpointRotateSecretApi.as_view(),
        name="webhook-endpoint-rotate-secret",
    ),
    path("webhook_endpoints/<str:endpoint_id>/replay", EndpointReplayApi.as_view(), name="webhook-endpoint-replay"),
    path("webhook_endpoints/<str:endpoint_id>/resend", EndpointResendApi.as_view(), name="webhook-endpoint-resend"),
    path("webhook_endpoints/<str:endpoint_id>/test", EndpointTestApi.as_view(), name="webhook-endpoint-test"),
    path("webhook_endpoints/<str:endpoint_id>/deliveries", DeliveryListApi.as_view(), name="webhook-delivery-list"),
]
