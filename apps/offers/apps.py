from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "apps.offers"
    label = "offers"

    def ready(self) -> None:
        from apps.events.services import add_record_hook
        from apps.offers.services.rewards import on_events, points_wallets_of
        from apps.wallets.store import add_lock_companions

        # A posted card payment earns its offer's reward in the posting's own transaction (services/rewards.py):
        # the wallets layer below cannot call offers, so it learns of postings through the outbox.
        add_record_hook(on_events)
        # A points reward (or its claw-back) pays the holder's points wallet: the card capture or reversal locks it
        # with the paying wallet, in primary-key order, rather than the hook locking it afterwards.
        add_lock_companions(points_wallets_of)
