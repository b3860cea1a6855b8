"""The bank staff's case pages (docs/staff-guide.md): the queue, a case with its evidence and decisions, and the
suspicious activity report's exports. Staff only: signed-out visitors are sent to the staff sign-in, signed-in
non-staff users (partners, holders) get 403. Every view of a case page, every export and every decision is
recorded in the case's audit trail."""

import json
from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from apps.compliance import forms, selectors, services
from apps.compliance.report import report_csv
from apps.core.errors import ApplicationError
from apps.risk.models import Case


@method_decorator(never_cache, name="dispatch")
class StaffView(View):
    """Bank staff only (``is_staff``)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=reverse("admin:login"))
        if not request.user.is_staff:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def case(self, case_id: str) -> Case:
        case = selectors.case_get(public_id=case_id)
        if case is None:
            raise Http404
        return case


class CaseQueueView(StaffView):
    def get(self, request: HttpRequest) -> HttpResponse:
        staff = [(str(user.pk), user.email or user.username) for user in selectors.staff_users()]
        form = forms.QueueFilterForm(request.GET or None, staff_choices=staff)
        filters = selectors.QueueFilters()
        if form.is_bound and form.is_valid():
            filters = selectors.QueueFilters(**{k: v or getattr(filters, k) for k, v in form.cleaned_data.items()})
        cases = list(selectors.case_queue(filters=filters, staff=request.user))
        context = {"form": form, "cases": cases, "limit": selectors.QUEUE_LIMIT, "filtered": bool(request.GET)}
        return TemplateResponse(request, "compliance/queue.html", context, status=400 if form.errors else 200)


class CaseDetailView(StaffView):
    def get(self, request: HttpRequest, case_id: str) -> HttpResponse:
        case = self.case(case_id)
        services.case_view_record(case=case, staff=request.user)
        evidence = selectors.case_evidence(case)  # read after the view is recorded: the trail shows it
        context = {
            "case": case,
            "evidence": evidence,
            "staff_users": selectors.staff_users(),
            "report": getattr(case, "report", None) if case.status == Case.Status.REPORTED else None,
            "holder_frozen": case.holder.status == "frozen",
        }
        return TemplateResponse(request, "compliance/case.html", context)


def _assign(request: HttpRequest, case: Case, data: dict[str, Any]) -> str:
    value = data["assignee"]
    assignee = request.user if value == "me" else (selectors.staff_user(int(value)) if value.isdigit() else None)
    if value and assignee is None:
        raise services.CaseDecisionRefused("Pick a staff member from the list.")
    services.case_assign(case=case, staff=request.user, assignee=assignee)
    return f"Assigned to {getattr(assignee, 'email', '') or 'nobody'}."


def _propose(request: HttpRequest, case: Case, data: dict[str, Any]) -> str:
    proposal = services.proposal_create(
        case=case, staff=request.user, action=data["action"], wallet=data["wallet"], reason=data["reason"]
    )
    return f"Proposed {proposal.get_action_display().lower()}: another staff member must approve it."


def _clear(request: HttpRequest, case: Case, data: dict[str, Any]) -> str:
    outcome = services.case_clear(case=case, staff=request.user, note=data["note"])
    if isinstance(outcome, Case):
        return "Case cleared."
    return "The holder is frozen: clearing lifts the freeze, so it waits for another staff member's approval."


def _proposal(approve: bool) -> Callable[[HttpRequest, Case, dict[str, Any]], str]:
    def decide(request: HttpRequest, case: Case, data: dict[str, Any]) -> str:
        proposal = case.proposals.filter(public_id=data["target"]).first()
        if proposal is None:
            raise Http404
        decided = services.proposal_decide(proposal=proposal, staff=request.user, approve=approve)
        return f"Proposal {decided.public_id} {decided.status}."

    return decide


def _verification(approve: bool) -> Callable[[HttpRequest, Case, dict[str, Any]], str]:
    def decide(request: HttpRequest, case: Case, data: dict[str, Any]) -> str:
        verification = services.case_verification_decide(
            case=case, staff=request.user, verification_id=data["target"], approve=approve
        )
        return f"Verification {verification.public_id} {verification.status}."

    return decide


def _note(request: HttpRequest, case: Case, data: dict[str, Any]) -> str:
    services.case_note_add(case=case, staff=request.user, body=data["body"])
    return "Note added."


def _request_info(request: HttpRequest, case: Case, data: dict[str, Any]) -> str:
    services.case_request_info(case=case, staff=request.user, note=data["note"])
    return "Information requested: the case stays open."


def _close(request: HttpRequest, case: Case, data: dict[str, Any]) -> str:
    services.case_close(case=case, staff=request.user, note=data["note"])
    return "Case closed."


def _report(request: HttpRequest, case: Case, data: dict[str, Any]) -> str:
    report = services.case_report_file(case=case, staff=request.user, narrative=data["narrative"])
    return f"Report {report.public_id} filed."


def _reject_transfer(request: HttpRequest, case: Case, data: dict[str, Any]) -> str:
    transfer = services.case_transfer_reject(case=case, staff=request.user, transfer_id=data["target"])
    return f"Transfer {transfer.public_id} rejected."


Decision = tuple[type[django_forms.Form], Callable[[HttpRequest, Case, dict[str, Any]], str]]
DECISIONS: dict[str, Decision] = {
    "assign": (forms.AssignForm, _assign),
    "note": (forms.NoteForm, _note),
    "request_info": (forms.DecisionForm, _request_info),
    "clear": (forms.DecisionForm, _clear),
    "close": (forms.DecisionForm, _close),
    "report": (forms.ReportForm, _report),
    "propose": (forms.ProposalForm, _propose),
    "approve": (forms.TargetForm, _proposal(True)),
    "reject": (forms.TargetForm, _proposal(False)),
    "reject_transfer": (forms.TargetForm, _reject_transfer),
    "approve_verification": (forms.TargetForm, _verification(True)),
    "reject_verification": (forms.TargetForm, _verification(False)),
}


class CaseDecisionView(StaffView):
    """One decision (``DECISIONS``): validate its form, call its service, come back to the case page with the
    outcome (or the refusal) as a message."""

    def post(self, request: HttpRequest, case_id: str, decision: str) -> HttpResponse:
        if decision not in DECISIONS:
            raise Http404
        case = self.case(case_id)
        form_class, act = DECISIONS[decision]
        form = form_class(request.POST)
        if not form.is_valid():
            problems = "; ".join(f"{field}: {' '.join(map(str, errors))}" for field, errors in form.errors.items())
            messages.error(request, f"Nothing was decided. {problems}")
            return redirect("compliance:case", case_id=case.public_id)
        try:
            messages.success(request, act(request, case, form.cleaned_data))
        except ApplicationError as error:
            messages.error(request, f"Nothing was decided: {error.detail}")
        return redirect("compliance:case", case_id=case.public_id)


class ReportExportView(StaffView):
    """The filed report as JSON or CSV (a download; recorded in the trail)."""

    def get(self, request: HttpRequest, case_id: str, fmt: str) -> HttpResponse:
        case = self.case(case_id)
        report = getattr(case, "report", None) if case.status == Case.Status.REPORTED else None
        if report is None:
            raise Http404
        services.report_export_record(case=case, staff=request.user, fmt=fmt)
        if fmt == "json":
            body, content_type = json.dumps(report.report, indent=2, ensure_ascii=False), "application/json"
        else:
            body, content_type = report_csv(report.report), "text/csv; charset=utf-8"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{report.public_id}.{fmt}"'
        return response
