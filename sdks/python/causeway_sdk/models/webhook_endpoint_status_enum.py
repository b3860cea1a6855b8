from typing import Literal

WebhookEndpointStatusEnum = Literal["disabled", "enabled"]

WEBHOOK_ENDPOINT_STATUS_ENUM_VALUES: set[WebhookEndpointStatusEnum] = {
    "disabled",
    "enabled",
}


def check_webhook_endpoint_status_enum(value: str) -> WebhookEndpointStatusEnum:
    if value in WEBHOOK_ENDPOINT_STATUS_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {WEBHOOK_ENDPOINT_STATUS_ENUM_VALUES!r}"
    )
