"""The bank staff's decisions on a case (docs/staff-guide.md), each recorded in the audit trail.

A case is worked while it is open (``open`` or ``info_requested``): assign it, add notes, ask for information,
then decide it: clear it (its held transfers are released), file a suspicious activity report, or close it
without either. Freezing or unfreezing a wallet and lifting a holder's screening freeze take two people
(four-eyes): one proposes, another approves, and only the approval acts; the proposer can never approve (the
service refuses it and a database constraint backs it). Clearing a case whose holder is frozen is such an
unfreeze: it becomes a proposal, and its approval lifts the freeze and clears the case.

Transfers are released and rejected through ``apps.transfers.lifecycle``, each in its own durable transaction,
so a clear releases them first and closes the case after.
"""

import contextlib
from typing import Any

from django.db import IntegrityError, transaction

from apps.compliance.report import report_build
from apps.compliance.selectors import case_transfer_ids
from apps.core import clock
from apps.core.errors import ApplicationError, InvalidStateTransition, error_type
from apps.partners.services.audit import record
from apps.risk.models import Case, CaseNote, CaseProposal, KycVerification, SuspiciousActivityReport
from apps.risk.services import holder_unfreeze
from apps.risk.verifications import verification_decide
from apps.transfers.lifecycle import transfer_review_reject, transfer_review_release
from apps.transfers.models import Transfer
from apps.wallets.freeze import wallet_freeze, wallet_unfreeze
from apps.wallets.models import Wallet, WalletHolder

CaseDecisionRefused = error_type(
    "CaseDecisionRefused",
    "case_decision_refused",
    409,
    "Case decision refused",
    doc="Staff pages only: the decision does not fit the case as it is now (closed, already proposed, or the "
    "wallet or holder is not in the state the decision needs).",
)
FourEyesRequired = error_type(
    "FourEyesRequired",
    "four_eyes_required",
    403,
    "A second staff member must decide",
    "Whoever proposed a freeze or unfreeze cannot approve or reject it: another staff member decides.",
    doc="Staff pages only: the proposer of a four-eyes decision tried to decide it.",
)


def audit(*, case: Case, staff: Any, action: str, **metadata: Any) -> None:
    """One row of the case's audit trail (a partner-less audit event, never shown to partners): who, when,
    what, which case."""
    record(action=f"case.{action}", actor=staff, target=case, environment=case.environment, metadata=metadata)


def case_view_record(*, case: Case, staff: Any) -> None:
    """A staff member opened the case's page: recorded like a decision."""
    audit(case=case, staff=staff, action="viewed")


def report_export_record(*, case: Case, staff: Any, fmt: str) -> None:
    """A staff member downloaded the case's report (``json`` or ``csv``)."""
    audit(case=case, staff=staff, action="report_exported", format=fmt)


def _locked_open(case: Case) -> Case:
    locked = Case.objects.select_for_update().select_related("holder").get(pk=case.pk)
    if not locked.is_open:
        raise CaseDecisionRefused(f"Case {locked.public_id} is {locked.status}.")
    return locked


@transaction.atomic
def case_assign(*, case: Case, staff: Any, assignee: Any) -> Case:
    """Give the case to ``assignee`` (an active staff user), or to nobody (None)."""
    if assignee is not None and not (assignee.is_staff and assignee.is_active):
        raise CaseDecisionRefused("Cases are assigned to active staff users only.")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    locked.assignee = assignee
    locked.save(update_fields=["assignee", "updated_at"])
    audit(case=locked, staff=staff, action="assigned", assignee=getattr(assignee, "email", None))
    return locked


@transaction.atomic
def case_note_add(*, case: Case, staff: Any, body: str) -> CaseNote:
    """Add a note (any status: a closed case can still be annotated)."""
    note = CaseNote.objects.create(case=case, author=staff, body=body)
    audit(case=case, staff=staff, action="note_added", note=note.pk)
    return note


@transaction.atomic
def case_request_info(*, case: Case, staff: Any, note: str) -> Case:
    """Ask for more information about the holder: the case stays open as ``info_requested``, with ``note``
    (what was asked, and of whom)."""
    locked = _locked_open(case)
    locked.status = Case.Status.INFO_REQUESTED
    locked.save(update_fields=["status", "updated_at"])
    CaseNote.objects.create(case=locked, author=staff, body=note)
    audit(case=locked, staff=staff, action="info_requested", note=note)
    return locked


def _close(case: Case, *, staff: Any, status: str, note: str, **metadata: Any) -> Case:
    locked = _locked_open(case)
    locked.status = status
    locked.closed_at = clock.now()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    if note:
        CaseNote.objects.create(case=locked, author=staff, body=note)
    audit(case=locked, staff=staff, action=status, note=note, **metadata)
    return locked


def _release_held(case: Case, *, staff: Any) -> list[str]:
    """Release the case's held transfers, each in its own durable transaction; the ids released."""
    released = []
    for pk, public_id in Transfer.objects.filter(
        public_id__in=case_transfer_ids(case), status=Transfer.Status.HELD
    ).values_list("pk", "public_id"):
        try:
            transfer_review_release(transfer_pk=pk, staff_user=staff)
        except InvalidStateTransition:
            continue  # decided meanwhile (the admin's review actions)
        released.append(public_id)
    return released


def case_clear(*, case: Case, staff: Any, note: str) -> Case | CaseProposal:
    """Nothing to report: release the case's held transfers and close it as ``cleared``. When the holder is
    frozen by screening, clearing lifts the freeze, which takes a second person: this proposes
    ``unfreeze_holder`` instead and returns the proposal (its approval clears the case)."""
    current = Case.objects.select_related("holder").get(pk=case.pk)
    if not current.is_open:
        raise CaseDecisionRefused(f"Case {current.public_id} is {current.status}.")
    if current.holder.status == WalletHolder.Status.FROZEN:
        return proposal_create(case=current, staff=staff, action=CaseProposal.Action.UNFREEZE_HOLDER, reason=note)
    return _clear(current, staff=staff, note=note)


def _clear(case: Case, *, staff: Any, note: str) -> Case:
    released = _release_held(case, staff=staff)
    with transaction.atomic():
        return _close(case, staff=staff, status=Case.Status.CLEARED, note=note, released=released)


@transaction.atomic
def case_close(*, case: Case, staff: Any, note: str) -> Case:
    """Close without clearing or reporting (a duplicate, or nothing left to do); held transfers stay held."""
    return _close(case, staff=staff, status=Case.Status.CLOSED, note=note)


@transaction.atomic
def case_report_file(*, case: Case, staff: Any, narrative: str) -> SuspiciousActivityReport:
    """File a suspicious activity report: the document (``apps.compliance.report``) is built and frozen now,
    and the case closes as ``reported``. Held transfers stay held (reject them from the case)."""
    locked = _locked_open(case)
    filed_at = clock.now()
    report = SuspiciousActivityReport.objects.create(
        case=locked, narrative=narrative, filed_by=staff, filed_at=filed_at, report={}
    )
    report.report = report_build(report=report, case=locked)
    report.save(update_fields=["report", "updated_at"])
    report.case = _close(locked, staff=staff, status=Case.Status.REPORTED, note="", report=report.public_id)
    return report


def case_transfer_reject(*, case: Case, staff: Any, transfer_id: str) -> Transfer:
    """Reject one of the case's held transfers (its money goes back to the payer)."""
    if transfer_id not in case_transfer_ids(case):
        raise CaseDecisionRefused(f"Transfer {transfer_id} is not part of case {case.public_id}.")
    transfer = transfer_review_reject(transfer_pk=Transfer.objects.get(public_id=transfer_id).pk, staff_user=staff)
    with transaction.atomic():
        audit(case=case, staff=staff, action="transfer_rejected", transfer=transfer_id)
    return transfer


def case_verification_decide(*, case: Case, staff: Any, verification_id: str, approve: bool) -> KycVerification:
    """Approve (raising the holder's tier) or reject a verification of the case's holder left for the bank."""
    verification = KycVerification.objects.filter(public_id=verification_id, holder_id=case.holder_id).first()
    if verification is None:
        raise CaseDecisionRefused(f"Verification {verification_id} is not the case holder's.")
    with transaction.atomic():
        decided = verification_decide(verification=verification, approve=approve)
        audit(case=case, staff=staff, action=f"verification_{decided.status}", verification=verification_id)
    return decided


# --- Four-eyes ----------------------------------------------------------------------------------------------------
@transaction.atomic
def proposal_create(*, case: Case, staff: Any, action: str, reason: str, wallet: str = "") -> CaseProposal:
    """Propose a freeze or unfreeze (``CaseProposal.Action``) for another staff member to decide. A wallet
    action names one of the case holder's wallets (``wallet``, its public id); one proposal per action and
    wallet may wait at a time. Nothing is frozen or unfrozen until approval."""
    if action not in CaseProposal.Action.values:
        raise CaseDecisionRefused(f"Unknown action {action!r}.")
    if action == CaseProposal.Action.UNFREEZE_HOLDER:
        wallet = ""
        if case.holder.status != WalletHolder.Status.FROZEN:
            raise CaseDecisionRefused("The holder is not frozen.")
    else:
        needed = Wallet.Status.ACTIVE if action == CaseProposal.Action.FREEZE_WALLET else Wallet.Status.FROZEN
        target = Wallet.objects.filter(public_id=wallet, holder_id=case.holder_id).first()
        if target is None:
            raise CaseDecisionRefused(f"Wallet {wallet or '(none)'} is not the case holder's.")
        if target.status != needed:
            raise CaseDecisionRefused(f"Wallet {wallet} is {target.status}.")
    try:
        with transaction.atomic():
            proposal = CaseProposal.objects.create(
                case=case, action=action, wallet=wallet, reason=reason, proposed_by=staff, proposed_at=clock.now()
            )
    except IntegrityError:
        raise CaseDecisionRefused("The same proposal is already waiting for a decision.") from None
    audit(case=case, staff=staff, action="proposal_created", proposal=proposal.public_id, kind=action, wallet=wallet)
    return proposal


def proposal_decide(*, proposal: CaseProposal, staff: Any, approve: bool) -> CaseProposal:
    """Approve (carry out) or reject a waiting proposal. Raises ``FourEyesRequired`` when ``staff`` proposed it,
    ``CaseDecisionRefused`` when it is decided already or no longer fits (the wallet changed meanwhile)."""
    with transaction.atomic():
        locked = CaseProposal.objects.select_for_update().select_related("case__holder").get(pk=proposal.pk)
        if locked.proposed_by_id == staff.pk:
            raise FourEyesRequired()
        if locked.status != CaseProposal.Status.PENDING:
            raise CaseDecisionRefused(f"Proposal {locked.public_id} is already {locked.status}.")
        locked.status = CaseProposal.Status.APPROVED if approve else CaseProposal.Status.REJECTED
        locked.decided_by, locked.decided_at = staff, clock.now()
        locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        if approve:
            _carry_out(locked)
        audit(case=locked.case, staff=staff, action=f"proposal_{locked.status}", proposal=locked.public_id)
    if approve and locked.action == CaseProposal.Action.UNFREEZE_HOLDER:
        # If the case was decided meanwhile, the holder is unfrozen all the same.
        with contextlib.suppress(CaseDecisionRefused):
            _clear(locked.case, staff=staff, note=f"Cleared with the approval of {locked.public_id}.")
    return locked


def _carry_out(proposal: CaseProposal) -> None:
    try:
        if proposal.action == CaseProposal.Action.UNFREEZE_HOLDER:
            holder_unfreeze(holder=proposal.case.holder)
            return
        wallet = Wallet.objects.get(public_id=proposal.wallet)
        if proposal.action == CaseProposal.Action.FREEZE_WALLET:
            wallet_freeze(wallet=wallet)
        else:
            wallet_unfreeze(wallet=wallet)
    except ApplicationError as error:
        raise CaseDecisionRefused(error.detail) from error
