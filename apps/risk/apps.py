from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "apps.risk"
    label = "risk"

    def ready(self) -> None:
        # The wallets sit below risk: a new holder is screened through the hook their creation runs.
        from apps.risk.services import holder_screen
        from apps.wallets.hooks import add_holder_created_hook

        add_holder_created_hook(holder_screen)
