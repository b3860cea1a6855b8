"""OpenAPI examples of holders' KYC verifications, one list per operation (``extend_schema(examples=...)``)."""

from drf_spectacular.utils import OpenApiExample

from apps.core.openapi import problem_example

VERIFICATION = {
    "id": "kyc_4Rt8Yp2Lm6Nq9Wx3Zb7Cv1Df",
    "object": "holder_verification",
    "environment": "sandbox",
    "holder": "ph_3kT9vB2nQ7xL4mZ8cR1sD6fG",
    "document_type": "passport",
    "country": "GB",
    "document_last4": "4821",
    "tier": "full",
    "status": "approved",
    "failure_code": None,
    "created_at": "2026-11-24T10:00:00Z",
    "decided_at": "2026-11-24T10:00:00Z",
}
REJECTED = {
    **VERIFICATION,
    "id": "kyc_9Kd3Fh6Jp1Ls4Qw7Ez2Xc5Vb",
    "document_last4": "0001",
    "status": "rejected",
    "failure_code": "document_rejected",
}
NEEDS_REVIEW = {
    **VERIFICATION,
    "id": "kyc_2Gh5Jk8Lz1Xc4Vb7Nm0Qw3Er",
    "document_last4": "0002",
    "status": "needs_review",
    "decided_at": None,
}

VERIFICATION_CREATE = [
    OpenApiExample(
        "Passport (approved in the sandbox)",
        request_only=True,
        value={"document_type": "passport", "country": "GB", "document_number": "533384821", "tier": "full"},
    ),
    OpenApiExample(
        "Rejected in the sandbox (number ending 0001)",
        request_only=True,
        value={"document_type": "national_id", "country": "DE", "document_number": "T22000001"},
    ),
    OpenApiExample("Approved", response_only=True, status_codes=["201"], value=VERIFICATION),
    OpenApiExample("Rejected", response_only=True, status_codes=["201"], value=REJECTED),
    OpenApiExample("Needs review", response_only=True, status_codes=["201"], value=NEEDS_REVIEW),
    problem_example(
        "Unknown country",
        400,
        "parameter_invalid",
        "Some parameters are invalid. country: Not an ISO 3166-1 alpha-2 code.",
        [{"field": "country", "code": "parameter_invalid", "message": "Not an ISO 3166-1 alpha-2 code."}],
    ),
]

VERIFICATION_RETRIEVE = [OpenApiExample("An approved verification", response_only=True, value=VERIFICATION)]

VERIFICATION_LIST = [
    OpenApiExample(
        "Newest first",
        response_only=True,
        value={"object": "list", "data": [VERIFICATION, REJECTED], "has_more": False, "next_cursor": None},
    )
]
