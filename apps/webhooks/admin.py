from django.contrib import admin

from apps.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("public_id", "partner", "environment", "url", "disabled_at", "disabled_reason", "created_at")
    list_filter = ("disabled_reason",)
    search_fields = ("public_id", "url", "partner__name")
    # The secrets are never shown, not even encrypted.
    exclude = ("secret_encrypted", "previous_secret_encrypted")
    readonly_fields = ("public_id", "partner", "environment", "failing_since", "previous_secret_expires_at")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("public_id", "endpoint", "event", "status", "attempts", "next_attempt_at", "last_status_code")
    list_filter = ("status",)
    search_fields = ("public_id", "event__public_id", "endpoint__public_id")
    raw_id_fields = ("event", "endpoint")


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(admin.ModelAdmin):
    list_display = ("delivery", "number", "started_at", "duration_ms", "outcome", "status_code", "error")
    list_filter = ("outcome",)
    raw_id_fields = ("delivery", "endpoint")
