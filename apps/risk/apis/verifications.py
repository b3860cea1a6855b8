"""``/v1/wallet_holders/{id}/verifications``: submit, list and retrieve a holder's KYC verifications
(docs/risk.md, "KYC verification").

Visibility is ``apps.wallets.selectors.holder_get``'s: another partner's holder is a 404. Reading needs
``accounts:read`` as ``holder_data_scopes`` grants it. Submitting needs ``sandbox:write``, which counts only in
sandbox, as for funding sources: a live secret key is refused (403), since a live holder verifies with the bank
and a live verification waits for the bank's review.
"""

import re
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.idempotent_post import idempotent_post
from apps.core.openapi import problem_responses as _problems
from apps.core.openapi_contract import IDEMPOTENCY_KEY_ACCEPTED
from apps.core.pagination import PAGINATION_PARAMETERS, list_serializer, paginate
from apps.core.principal import Principal, principal_of
from apps.core.scopes import ACCOUNTS_READ, SANDBOX_WRITE
from apps.core.serializers import InputSerializer, OutputSerializer
from apps.partners.services.live_access import COUNTRIES
from apps.risk.apis import examples
from apps.risk.models import KycVerification
from apps.risk.selectors import verification_get, verification_list
from apps.risk.verifications import (
    SANDBOX_NEEDS_REVIEW,
    SANDBOX_REJECT,
    VerificationRequest,
    verification_create,
    verification_snapshot,
)
from apps.wallets.apis.base import HolderSandboxWriteApi
from apps.wallets.selectors import holder_get
from apps.wallets.serializers import HolderListParameters, enum_field

TAG = "Wallet holders"
_DOCUMENT_TYPES = tuple(KycVerification.DocumentType.values)
_TIERS = ("basic", "full")
# The whole rule for a document number, in the schema as in the check: ASCII letters and digits, at least four,
# with spaces and hyphens between them ignored.
DOCUMENT_NUMBER = re.compile(r"^[ -]*(?:[A-Za-z0-9][ -]*){4,}$")


# --- Serializers ------------------------------------------------------------------------------------------------
class HolderVerificationSerializer(OutputSerializer):
    id = serializers.CharField(source="public_id")
    object = serializers.CharField(default="holder_verification")
    environment = serializers.CharField()
    holder = serializers.CharField(source="holder.public_id")
    document_type = enum_field(_DOCUMENT_TYPES, owner="holder_verification")
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2: the country that issued the document.")
    document_last4 = serializers.CharField(help_text="The last four characters of the document number.")
    tier = enum_field(_TIERS, owner="holder_verification", help_text="The tier an approval grants.")
    status = enum_field(KycVerification.Status.values, owner="holder_verification")
    failure_code = serializers.CharField(allow_null=True, help_text="Why it was rejected (`document_rejected`).")
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True, help_text="When it was approved or rejected.")


VerificationListSerializer = list_serializer("HolderVerificationList", HolderVerificationSerializer)


def _choice_error(choices: tuple[str, ...]) -> dict[str, Any]:
    return {"invalid_choice": f"Must be one of {', '.join(choices)}."}


class HolderVerificationCreateInputSerializer(InputSerializer):
    document_type = serializers.ChoiceField(choices=_DOCUMENT_TYPES, error_messages=_choice_error(_DOCUMENT_TYPES))
    country = serializers.ChoiceField(
        choices=sorted(COUNTRIES),
        error_messages={"invalid_choice": "Not an ISO 3166-1 alpha-2 code (upper case)."},
        help_text="ISO 3166-1 alpha-2, upper case: the country that issued the document.",
    )
    document_number = serializers.CharField(
        max_length=40,
        trim_whitespace=False,
        help_text="Letters and digits, at least four; spaces and hyphens are ignored. Only the last four are kept.",
    )
    tier = serializers.ChoiceField(
        choices=_TIERS, required=False, default="full", error_messages=_choice_error(_TIERS),
        help_text="The tier an approval grants; `full` by default. A verification never lowers a tier.",
    )  # fmt: skip

    schema_rules = {"properties": {"document_number": {"pattern": DOCUMENT_NUMBER.pattern}}}

    def validate_document_number(self, value: str) -> str:
        if not DOCUMENT_NUMBER.fullmatch(value):
            raise serializers.ValidationError(
                "Letters and digits, at least four (spaces and hyphens are ignored).", code="parameter_invalid"
            )
        return value.replace(" ", "").replace("-", "")


# --- Views ------------------------------------------------------------------------------------------------------
class _VerificationApi(HolderSandboxWriteApi):
    def scope_hint(self, principal: Principal) -> str:
        if principal.holder is None and not principal.is_sandbox:
            return " A live holder verifies with the bank; a live verification waits for the bank's review."
        return ""


class VerificationListCreateApi(_VerificationApi):
    required_scopes = {"GET": (ACCOUNTS_READ,), "POST": (SANDBOX_WRITE,)}

    @extend_schema(
        operation_id="holder_verification_list",
        summary="List a holder's verifications",
        description="The holder's KYC verifications, newest first, with cursor pagination. Scope `accounts:read`.",
        parameters=PAGINATION_PARAMETERS,
        responses={200: VerificationListSerializer, **_problems(400, 403, 404)},
        tags=[TAG],
        examples=examples.VERIFICATION_LIST,
    )
    def get(self, request: Request, holder_id: str) -> Response:
        HolderListParameters(data=request.query_params).is_valid(raise_exception=True)
        holder = holder_get(principal=principal_of(request), holder_id=holder_id)
        page = paginate(verification_list(holder=holder), params=request.query_params)
        return Response(page.render(verification_snapshot))

    @extend_schema(
        operation_id="holder_verification_create",
        summary="Verify a holder's identity",
        description=(
            "Submit an identity document (type, issuing country, number) for the holder. Only the number's last "
            "four characters are kept. In the sandbox the outcome is immediate and follows the number's last four "
            f"characters: `{SANDBOX_REJECT}` is `rejected` (`document_rejected`), `{SANDBOX_NEEDS_REVIEW}` is "
            "`needs_review`, anything else `approved`. An approval raises the holder's `kyc_tier` to `tier` at "
            "once, so the next transfer is checked against that tier's limits; a verification never lowers a tier. "
            "Each verification sends `holder.verification.updated`. Accepts `Idempotency-Key`. Needs "
            "`sandbox:write`: a live secret key is refused (a live holder verifies with the bank, and a live "
            "verification stays `pending` for the bank's review)."
        ),
        request=HolderVerificationCreateInputSerializer,
        parameters=[IDEMPOTENCY_KEY_ACCEPTED],
        responses={201: HolderVerificationSerializer, **_problems(400, 403, 404, 409)},
        tags=[TAG],
        examples=examples.VERIFICATION_CREATE,
    )
    def post(self, request: Request, holder_id: str) -> Response:
        principal = principal_of(request)
        holder = holder_get(principal=principal, holder_id=holder_id)
        return idempotent_post(
            request,
            body=HolderVerificationCreateInputSerializer,
            status=201,
            render=verification_snapshot,
            perform=lambda data, handle: verification_create(
                principal=principal, holder=holder, request=VerificationRequest(**data)
            ),
        )


class VerificationRetrieveApi(_VerificationApi):
    required_scopes = {"GET": (ACCOUNTS_READ,)}

    @extend_schema(
        operation_id="holder_verification_retrieve",
        summary="Retrieve a verification",
        description="One KYC verification of the holder; another holder's is a 404. Scope `accounts:read`.",
        responses={200: HolderVerificationSerializer, **_problems(403, 404)},
        tags=[TAG],
        examples=examples.VERIFICATION_RETRIEVE,
    )
    def get(self, request: Request, holder_id: str, verification_id: str) -> Response:
        holder = holder_get(principal=principal_of(request), holder_id=holder_id)
        return Response(verification_snapshot(verification_get(holder=holder, verification_id=verification_id)))
