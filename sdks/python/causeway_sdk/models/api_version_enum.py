from typing import Literal

ApiVersionEnum = Literal["2026-11-01", "2026-12-07"]

API_VERSION_ENUM_VALUES: set[ApiVersionEnum] = {
    "2026-11-01",
    "2026-12-07",
}


def check_api_version_enum(value: str) -> ApiVersionEnum:
    if value in API_VERSION_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {API_VERSION_ENUM_VALUES!r}"
    )
