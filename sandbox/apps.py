from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "sandbox"
    label = "sandbox"

    def ready(self) -> None:
        # The portal shows what a seeded sandbox holds without apps/ importing the sandbox.
        from apps.partners.portal.sandbox import register_summary
        from sandbox.summary import sandbox_summary

        register_summary(sandbox_summary)
