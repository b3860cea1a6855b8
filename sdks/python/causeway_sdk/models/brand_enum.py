from typing import Literal

BrandEnum = Literal["amex", "discover", "mastercard", "other", "visa"]

BRAND_ENUM_VALUES: set[BrandEnum] = {
    "amex",
    "discover",
    "mastercard",
    "other",
    "visa",
}


def check_brand_enum(value: str) -> BrandEnum:
    if value in BRAND_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {BRAND_ENUM_VALUES!r}"
    )
