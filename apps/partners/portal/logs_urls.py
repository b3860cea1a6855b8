from django.urls import path

from apps.partners.portal.logs import RequestLogDetailView, RequestLogListView

urlpatterns = [
    path("", RequestLogListView.as_view(), name="logs-list"),
    path("<str:log_id>/", RequestLogDetailView.as_view(), name="logs-detail"),
]
