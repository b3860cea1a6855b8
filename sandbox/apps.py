from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "sandbox"
    label = "sandbox"

    def ready(self) -> None:
        # The portal shows what a seeded sandbox holds without apps/ importing the sandbox.
        from apps.partners.portal.sandbox import register_summary
        from apps.webhooks.services.replays import register_test_payload
        from sandbox.fire import test_payload
        from sandbox.summary import sandbox_summary

        register_summary(sandbox_summary)
        # A test event of any catalogue type from the portal describes the sandbox's own data, as fire does.
        register_test_payload(test_payload)
