from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "apps.risk"
    label = "risk"

    def ready(self) -> None:
        # The wallets sit below risk: a new holder is screened through the hook their creation runs.
        from apps.risk.monitoring.trigger import posting_noted
        from apps.risk.services import holder_screen
        from apps.wallets.hooks import add_holder_created_hook
        from apps.wallets.store import add_posted_hook

        add_holder_created_hook(holder_screen)
        # Every posting is monitored once it commits (docs/risk.md, "Transaction monitoring").
        add_posted_hook(posting_noted)
