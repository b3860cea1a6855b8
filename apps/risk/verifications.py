"""Writes for holders' KYC verifications (docs/risk.md, "KYC verification").

In the sandbox the outcome is decided at once by the document number's last four characters, so a partner can
drive every path: ``0001`` rejects, ``0002`` asks for review, anything else approves. In live there are no magic
values: a verification is recorded ``pending`` for the bank's review and only the bank decides it. An approval
raises the holder's ``kyc_tier`` to the verification's tier in the same transaction, under the holder's row lock,
so the next transfer is checked against the new tier's limits; a verification never lowers a tier. Each
verification is announced with ``holder.verification.updated`` in that transaction too. A verification left for
the bank (``needs_review`` in the sandbox, ``pending`` in live) raises a ``verification_review`` alert on the
holder's case, where staff decide it (``verification_decide``).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from apps.core import clock
from apps.core.errors import InvalidStateTransition
from apps.core.principal import Principal
from apps.events.services import record
from apps.risk.alerts import alert_raise
from apps.risk.models import KycVerification
from apps.wallets.models import WalletHolder

TIER_ORDER = (WalletHolder.KycTier.UNVERIFIED, WalletHolder.KycTier.BASIC, WalletHolder.KycTier.FULL)
SANDBOX_REJECT = "0001"
SANDBOX_NEEDS_REVIEW = "0002"


@dataclass(frozen=True)
class VerificationRequest:
    """A validated submission; ``document_number`` without spaces or hyphens."""

    document_type: str
    country: str
    document_number: str
    tier: str = WalletHolder.KycTier.FULL


def sandbox_outcome(document_number: str) -> tuple[str, str]:
    """The status and failure code the sandbox gives a document number (its last four characters decide)."""
    ending = document_number[-4:]
    if ending == SANDBOX_REJECT:
        return KycVerification.Status.REJECTED, "document_rejected"
    if ending == SANDBOX_NEEDS_REVIEW:
        return KycVerification.Status.NEEDS_REVIEW, ""
    return KycVerification.Status.APPROVED, ""


def verification_snapshot(verification: KycVerification) -> dict[str, Any]:
    return {
        "id": verification.public_id,
        "object": "holder_verification",
        "environment": verification.environment,
        "holder": verification.holder.public_id,
        "document_type": verification.document_type,
        "country": verification.country,
        "document_last4": verification.document_last4,
        "tier": verification.tier,
        "status": verification.status,
        "failure_code": verification.failure_code or None,
        "created_at": clock.rfc3339(verification.created_at),
        "decided_at": clock.rfc3339(verification.decided_at),
    }


def _tier_raise(locked: WalletHolder, tier: str, *, at: datetime) -> None:
    """An approval's effect, under the holder's lock: raise ``kyc_tier`` to ``tier``, never lower it; a raise
    is stamped ``kyc_changed_at`` (``at``, the environment's clock), which the transfer risk score reads."""
    if TIER_ORDER.index(tier) > TIER_ORDER.index(locked.kyc_tier):
        locked.kyc_tier = tier
        locked.kyc_changed_at = at
        locked.save(update_fields=["kyc_tier", "kyc_changed_at", "updated_at"])


@transaction.atomic
def verification_create(*, principal: Principal, holder: WalletHolder, request: VerificationRequest) -> KycVerification:
    """Record a verification of ``holder`` (one the principal can see) and, in the sandbox, decide it at once
    (``sandbox_outcome``); an approval raises the holder's tier. In live it stays ``pending``."""
    locked = WalletHolder.objects.select_for_update().get(pk=holder.pk)
    number = request.document_number
    if principal.is_sandbox:
        status, failure_code = sandbox_outcome(number)
        decided_at = (
            clock.now(environment=principal.environment) if status != KycVerification.Status.NEEDS_REVIEW else None
        )
    else:
        status, failure_code, decided_at = KycVerification.Status.PENDING, "", None
    verification = KycVerification.objects.create(
        holder=locked,
        environment=locked.environment,
        document_type=request.document_type,
        country=request.country,
        document_last4=number[-4:],
        requester=principal.environment,
        tier=request.tier,
        status=status,
        failure_code=failure_code,
        decided_at=decided_at,
    )
    if status == KycVerification.Status.APPROVED:
        _tier_raise(locked, request.tier, at=clock.now(environment=principal.environment))
    if status in (KycVerification.Status.NEEDS_REVIEW, KycVerification.Status.PENDING):
        alert_raise(
            holder=locked,
            kind="verification_review",
            summary=f"{verification.get_document_type_display()} ({verification.country}) verification to decide",
            evidence={"verifications": [verification.public_id]},
            dedupe_key=f"verification_review:{verification.public_id}",
        )
    record(
        type="holder.verification.updated",
        principal=principal,
        environment=principal.environment,
        obj=verification,
        data=verification_snapshot(verification),
    )
    return verification


@transaction.atomic
def verification_decide(*, verification: KycVerification, approve: bool) -> KycVerification:
    """The bank decides a verification left for it (``needs_review`` in the sandbox, ``pending`` in live):
    ``approved`` (raising the holder's tier as an approval at creation does) or ``rejected``
    (``failure_code`` ``review_rejected``), announced with ``holder.verification.updated`` in the partner
    environment that asked for it (``requester``). Raises ``InvalidStateTransition`` when it is already decided."""
    locked = WalletHolder.objects.select_for_update().get(pk=verification.holder_id)
    current = KycVerification.objects.select_for_update().get(pk=verification.pk)
    if current.status not in (KycVerification.Status.NEEDS_REVIEW, KycVerification.Status.PENDING):
        raise InvalidStateTransition(f"Verification {current.public_id} is already {current.status}.")
    environment = current.requester
    current.status = KycVerification.Status.APPROVED if approve else KycVerification.Status.REJECTED
    current.failure_code = "" if approve else "review_rejected"
    current.decided_at = clock.now(environment=environment)
    current.save(update_fields=["status", "failure_code", "decided_at", "updated_at"])
    if approve:
        _tier_raise(locked, current.tier, at=current.decided_at)
    if environment is not None:
        record(
            type="holder.verification.updated",
            environment=environment,
            partner=environment.partner,
            obj=current,
            data=verification_snapshot(current),
        )
    return current
