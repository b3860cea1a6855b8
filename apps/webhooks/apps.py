from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "apps.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from apps.events.services import add_record_hook
        from apps.webhooks.delivery import fan_out

        # Deliveries are written in the same transaction as their event (see apps.webhooks.delivery).
        add_record_hook(fan_out)
