from typing import Literal

TransferListTypeItem = Literal["fx", "p2p", "payout", "top_up"]

TRANSFER_LIST_TYPE_ITEM_VALUES: set[TransferListTypeItem] = {
    "fx",
    "p2p",
    "payout",
    "top_up",
}


def check_transfer_list_type_item(value: str) -> TransferListTypeItem:
    if value in TRANSFER_LIST_TYPE_ITEM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {TRANSFER_LIST_TYPE_ITEM_VALUES!r}"
    )
