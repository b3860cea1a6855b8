"""Portal URLs of apps.events, mounted at /portal/events/ under the ``portal`` namespace (config/urls.py)."""

from django.urls import path

from apps.events.portal import views

urlpatterns = [
    path("", views.EventListView.as_view(), name="events-list"),
    path("<str:event_id>/", views.EventDetailView.as_view(), name="events-detail"),
]
