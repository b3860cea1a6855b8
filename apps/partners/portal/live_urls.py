"""Live access pages, under /portal/live/."""

from django.urls import path

from apps.partners.portal import live

urlpatterns = [
    path("", live.LiveAccessView.as_view(), name="live-access"),
    path("request", live.LiveAccessRequestView.as_view(), name="live-request"),
]
