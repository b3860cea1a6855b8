"""Reads for the bank staff's case pages: the queue with its filters and ageing, and a case's evidence (the
transfers, ledger transactions, screening hits and verifications its alerts name), proposals, notes and audit
trail. Staff see every partner's and environment's cases; nothing here is reachable by a partner."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from apps.core.models import User
from apps.partners.models import AuditEvent
from apps.risk.models import Alert, Case, CaseNote, CaseProposal, KycVerification, ScreeningHit
from apps.transfers.models import Transfer
from apps.wallets.models import Transaction, Wallet

QUEUE_LIMIT = 200
STATUS_ALL = "all"
STATUS_OPEN = ""  # the default view: open and info_requested


@dataclass(frozen=True)
class QueueFilters:
    """The queue's filters as given (empty: not filtered). ``assignee`` is ``me``, ``none`` or a user key;
    ``order`` is ``oldest`` (the default: the longest waiting first) or ``newest``."""

    status: str = STATUS_OPEN
    kind: str = ""
    assignee: str = ""
    environment: str = ""
    order: str = "oldest"


def case_queue(*, filters: QueueFilters, staff: Any) -> QuerySet[Case]:
    """The cases matching ``filters``, at most ``QUEUE_LIMIT``, each with ``alert_count`` and its alerts' kinds
    prefetched (``queue_alerts``)."""
    cases = Case.objects.select_related("holder", "assignee")
    if filters.status == STATUS_OPEN:
        cases = cases.filter(status__in=Case.OPEN_STATUSES)
    elif filters.status != STATUS_ALL:
        cases = cases.filter(status=filters.status)
    if filters.kind:
        cases = cases.filter(Exists(Alert.objects.filter(case=OuterRef("pk"), kind=filters.kind)))
    if filters.assignee == "me":
        cases = cases.filter(assignee=staff)
    elif filters.assignee == "none":
        cases = cases.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        cases = cases.filter(assignee_id=int(filters.assignee))
    if filters.environment:
        cases = cases.filter(environment=filters.environment)
    ordering = ("opened_at", "pk") if filters.order != "newest" else ("-opened_at", "-pk")
    return (
        cases.annotate(alert_count=Count("alerts"))
        .prefetch_related(
            Prefetch("alerts", queryset=Alert.objects.only("case_id", "kind").order_by("pk"), to_attr="queue_alerts")
        )
        .order_by(*ordering)[:QUEUE_LIMIT]
    )


def staff_users() -> QuerySet[User]:
    """Who a case can be assigned to: active staff users."""
    return User.objects.filter(is_staff=True, is_active=True).order_by("email")


def staff_user(pk: int) -> User | None:
    """An active staff user by key, or None."""
    return staff_users().filter(pk=pk).first()


def case_get(*, public_id: str) -> Case | None:
    return Case.objects.select_related("holder", "holder__partner", "assignee").filter(public_id=public_id).first()


def _evidence_ids(alerts: list[Alert], key: str) -> list[Any]:
    seen: dict[Any, None] = {}
    for alert in alerts:
        for value in alert.evidence.get(key, []):
            seen.setdefault(value, None)
    return list(seen)


def case_transfer_ids(case: Case) -> list[str]:
    """The public ids of the transfers the case's alerts name."""
    return _evidence_ids(list(case.alerts.all()), "transfers")


@dataclass
class CaseEvidence:
    """Everything a case page and a report show, read once."""

    alerts: list[Alert]
    transfers: list[Transfer]
    transactions: list[Transaction]
    hits: list[ScreeningHit]
    verifications: list[KycVerification]
    reasons: list[str]
    wallets: list[Wallet]
    proposals: list[CaseProposal]
    notes: list[CaseNote]
    trail: list[AuditEvent] = field(default_factory=list)


def case_evidence(case: Case) -> CaseEvidence:
    """The case's alerts and what they name, the holder's wallets, the proposals, notes and audit trail."""
    alerts = list(case.alerts.order_by("pk"))
    transfer_ids = _evidence_ids(alerts, "transfers")
    hit_ids = [pk for pk in _evidence_ids(alerts, "screening_hits") if isinstance(pk, int)]
    return CaseEvidence(
        alerts=alerts,
        transfers=list(
            Transfer.objects.filter(public_id__in=transfer_ids).select_related("source_wallet", "destination_wallet")
        ),
        transactions=list(
            Transaction.objects.filter(public_id__in=_evidence_ids(alerts, "transactions")).select_related("wallet")
        ),
        hits=list(ScreeningHit.objects.filter(pk__in=hit_ids).select_related("entry__sanctions_list").order_by("pk")),
        verifications=list(
            KycVerification.objects.filter(public_id__in=_evidence_ids(alerts, "verifications")).order_by("pk")
        ),
        reasons=[str(reason) for reason in _evidence_ids(alerts, "reasons")],
        wallets=list(Wallet.objects.filter(holder_id=case.holder_id).order_by("pk")),
        proposals=list(case.proposals.select_related("proposed_by", "decided_by").order_by("-pk")),
        notes=list(case.notes.select_related("author").order_by("pk")),
        trail=list(AuditEvent.objects.filter(target_id=case.public_id, partner__isnull=True).order_by("-id")),
    )
