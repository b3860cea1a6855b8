"""The audit log page, under /portal/audit/."""

from django.urls import path

from apps.partners.portal import audit

urlpatterns = [path("", audit.AuditLogView.as_view(), name="audit-log")]
