"""The portal's sandbox page, under ``/portal/sandbox/`` in the ``portal`` namespace (config/urls.py)."""

from django.urls import path

from sandbox import portal

urlpatterns = [
    path("", portal.SandboxPageView.as_view(), name="sandbox"),
    path("holders/<str:holder_id>/", portal.SandboxHolderView.as_view(), name="sandbox-holder"),
    path("actions/<str:action>", portal.SandboxActionView.as_view(), name="sandbox-action"),
]
