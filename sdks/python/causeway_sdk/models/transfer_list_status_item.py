from typing import Literal

TransferListStatusItem = Literal[
    "canceled", "failed", "held", "pending", "processing", "reversed", "succeeded"
]

TRANSFER_LIST_STATUS_ITEM_VALUES: set[TransferListStatusItem] = {
    "canceled",
    "failed",
    "held",
    "pending",
    "processing",
    "reversed",
    "succeeded",
}


def check_transfer_list_status_item(value: str) -> TransferListStatusItem:
    if value in TRANSFER_LIST_STATUS_ITEM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {TRANSFER_LIST_STATUS_ITEM_VALUES!r}"
    )
