from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "apps.partners"
    label = "partners"

    def ready(self) -> None:
        from apps.core.ratelimits import add_read_ahead
        from apps.partners.authentication import api_key_read_ahead
        from apps.partners.portal import signals  # noqa: F401  (connects the audit receivers)

        add_read_ahead(api_key_read_ahead)
