from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """The bank staff's case pages (docs/staff-guide.md): no models of its own; the cases live in apps.risk."""

    name = "apps.compliance"
    label = "compliance"
