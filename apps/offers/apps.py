from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "apps.offers"
    label = "offers"

    def ready(self) -> None:
        from apps.events.services import add_record_hook
        from apps.offers.services.rewards import on_events

        # A posted card payment earns its offer's reward in the posting's own transaction (services/rewards.py):
        # the wallets layer below cannot call offers, so it learns of postings through the outbox.
        add_record_hook(on_events)
