from typing import Literal

HolderVerificationCreateInputDocumentTypeEnum = Literal[
    "driving_licence", "national_id", "passport"
]

HOLDER_VERIFICATION_CREATE_INPUT_DOCUMENT_TYPE_ENUM_VALUES: set[
    HolderVerificationCreateInputDocumentTypeEnum
] = {
    "driving_licence",
    "national_id",
    "passport",
}


def check_holder_verification_create_input_document_type_enum(
    value: str,
) -> HolderVerificationCreateInputDocumentTypeEnum:
    if value in HOLDER_VERIFICATION_CREATE_INPUT_DOCUMENT_TYPE_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {HOLDER_VERIFICATION_CREATE_INPUT_DOCUMENT_TYPE_ENUM_VALUES!r}"
    )
