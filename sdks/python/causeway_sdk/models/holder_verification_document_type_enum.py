from typing import Literal

HolderVerificationDocumentTypeEnum = Literal[
    "driving_licence", "national_id", "passport"
]

HOLDER_VERIFICATION_DOCUMENT_TYPE_ENUM_VALUES: set[
    HolderVerificationDocumentTypeEnum
] = {
    "driving_licence",
    "national_id",
    "passport",
}


def check_holder_verification_document_type_enum(
    value: str,
) -> HolderVerificationDocumentTypeEnum:
    if value in HOLDER_VERIFICATION_DOCUMENT_TYPE_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {HOLDER_VERIFICATION_DOCUMENT_TYPE_ENUM_VALUES!r}"
    )
