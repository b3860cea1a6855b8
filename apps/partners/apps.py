from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "apps.partners"
    label = "partners"

    def ready(self) -> None:
        from apps.partners.portal import signals  # noqa: F401  (connects the audit receivers)
