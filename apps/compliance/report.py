"""The suspicious activity report's document: built once, when the report is filed (so later changes to the
case do not rewrite it), and exported as JSON (the document itself) or CSV (one row per record, ``CSV_FIELDS``).
The field list is documented in docs/staff-guide.md, "Suspicious activity report"."""

import csv
import io
from typing import Any

from apps.compliance.selectors import case_evidence
from apps.core.clock import rfc3339
from apps.risk.models import Case, SuspiciousActivityReport

FORMAT_VERSION = 1
CSV_FIELDS = (
    "report",
    "filed_at",
    "filed_by",
    "case",
    "environment",
    "holder",
    "holder_name",
    "record_type",
    "record_id",
    "kind",
    "status",
    "amount",
    "currency",
    "at",
    "detail",
)


def report_build(*, report: SuspiciousActivityReport, case: Case) -> dict[str, Any]:
    """The report's document: who filed it and why, the subject holder's identity, the case and its alerts,
    the screening hits, transfers and ledger transactions in evidence, and the staff's notes."""
    evidence = case_evidence(case)
    holder = case.holder
    return {
        "object": "suspicious_activity_report",
        "format_version": FORMAT_VERSION,
        "id": report.public_id,
        "filed_at": rfc3339(report.filed_at),
        "filed_by": {"email": report.filed_by.email, "name": report.filed_by.get_full_name()},
        "decision": Case.Status.REPORTED.value,
        "narrative": report.narrative,
        "subject": {
            "holder": holder.public_id,
            "name": holder.name,
            "email": holder.email,
            "environment": holder.environment,
            "partner": holder.partner.public_id if holder.partner is not None else None,
            "kyc_tier": holder.kyc_tier,
            "status": holder.status,
            "created_at": rfc3339(holder.created_at),
        },
        "case": {
            "id": case.public_id,
            "environment": case.environment,
            "opened_at": rfc3339(case.opened_at),
            "assignee": case.assignee.email if case.assignee is not None else None,
        },
        "alerts": [
            {
                "id": alert.public_id,
                "kind": alert.kind,
                "summary": alert.summary,
                "raised_at": rfc3339(alert.raised_at),
                "reasons": alert.evidence.get("reasons", []),
            }
            for alert in evidence.alerts
        ],
        "screening_hits": [
            {
                "subject": hit.subject,
                "screened_name": hit.screened_name,
                "matched_name": hit.matched_name,
                "alias": hit.alias,
                "score": hit.score,
                "entry_uid": hit.entry.uid,
                "list": hit.entry.sanctions_list.source,
                "list_version": hit.entry.sanctions_list.version,
                "list_date": hit.entry.sanctions_list.list_date.isoformat(),
                "transfer": hit.transfer or None,
                "at": rfc3339(hit.created_at),
            }
            for hit in evidence.hits
        ],
        "transfers": [
            {
                "id": transfer.public_id,
                "type": transfer.type,
                "status": transfer.status,
                "amount": transfer.amount,
                "currency": transfer.currency,
                "review_reason": transfer.review_reason or None,
                "created_at": rfc3339(transfer.created_at),
            }
            for transfer in evidence.transfers
        ],
        "transactions": [
            {
                "id": txn.public_id,
                "wallet": txn.wallet.public_id,
                "type": txn.type,
                "status": txn.status,
                "amount": txn.amount,
                "currency": txn.currency,
                "counterparty": txn.counterparty,
                "description": txn.description,
                "booked_at": rfc3339(txn.booked_at),
            }
            for txn in evidence.transactions
        ],
        "notes": [
            {
                "author": note.author.email if note.author is not None else None,
                "at": rfc3339(note.created_at),
                "body": note.body,
            }
            for note in evidence.notes
        ],
    }


def report_csv(document: dict[str, Any]) -> str:
    """The report as CSV: a header of ``CSV_FIELDS``, then one row for the report itself (its narrative in
    ``detail``), one per alert, screening hit, transfer, transaction and note."""
    head = {
        "report": document["id"],
        "filed_at": document["filed_at"],
        "filed_by": document["filed_by"]["email"],
        "case": document["case"]["id"],
        "environment": document["case"]["environment"],
        "holder": document["subject"]["holder"],
        "holder_name": document["subject"]["name"],
    }
    rows: list[dict[str, Any]] = [
        {"record_type": "report", "record_id": document["id"], "kind": document["decision"], "at": document["filed_at"]}
        | {"detail": document["narrative"]}
    ]
    rows += [
        {"record_type": "alert", "record_id": a["id"], "kind": a["kind"], "at": a["raised_at"], "detail": a["summary"]}
        for a in document["alerts"]
    ]
    rows += [
        {
            "record_type": "screening_hit",
            "record_id": h["entry_uid"],
            "kind": h["subject"],
            "at": h["at"],
            "detail": f"{h['screened_name']} ~ {h['matched_name']} (score {h['score']}; {h['list']} "
            f"v{h['list_version']} of {h['list_date']})",
        }
        for h in document["screening_hits"]
    ]
    rows += [
        {
            "record_type": "transfer",
            "record_id": t["id"],
            "kind": t["type"],
            "status": t["status"],
            "amount": t["amount"],
            "currency": t["currency"],
            "at": t["created_at"],
            "detail": t["review_reason"] or "",
        }
        for t in document["transfers"]
    ]
    rows += [
        {
            "record_type": "transaction",
            "record_id": t["id"],
            "kind": t["type"],
            "status": t["status"],
            "amount": t["amount"],
            "currency": t["currency"],
            "at": t["booked_at"],
            "detail": " ".join(part for part in (t["counterparty"], t["description"]) if part),
        }
        for t in document["transactions"]
    ]
    rows += [
        {"record_type": "note", "record_id": "", "kind": n["author"] or "", "at": n["at"], "detail": n["body"]}
        for n in document["notes"]
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in (head | row).items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    # A cell a spreadsheet would run as a formula is quoted with a leading apostrophe (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
