from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "apps.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from apps.core.metrics import register_collector
        from apps.events.services import add_record_hook
        from apps.webhooks.metrics import collect_backlog
        from apps.webhooks.services.fan_out import endpoints_read_ahead, fan_out

        # Deliveries are written in the same transaction as their event (see apps.webhooks.services.fan_out).
        add_record_hook(fan_out, read_ahead=endpoints_read_ahead)
        register_collector(collect_backlog)
