"""The bank staff's pages, under /staff/ (docs/staff-guide.md)."""

from django.urls import path

from apps.compliance import views

app_name = "compliance"

urlpatterns = [
    path("cases/", views.CaseQueueView.as_view(), name="queue"),
    path("cases/<str:case_id>/", views.CaseDetailView.as_view(), name="case"),
    path("cases/<str:case_id>/decide/<str:decision>/", views.CaseDecisionView.as_view(), name="decide"),
    path("cases/<str:case_id>/report.json", views.ReportExportView.as_view(), {"fmt": "json"}, name="report-json"),
    path("cases/<str:case_id>/report.csv", views.ReportExportView.as_view(), {"fmt": "csv"}, name="report-csv"),
]
