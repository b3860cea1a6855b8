"""The portal's sandbox page (``/portal/sandbox/``): browse the sandbox's holders, wallets, balances and
transactions (read-only, paginated), and drive it with the same simulations the API offers. Each action shows
the API call that does the same, with the answer, so the developer can copy it.

The actions run the simulation services with a principal of the member's sandbox (never a live one: the page
works on the sandbox whatever environment the portal shows)."""

import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from apps.core.errors import ApplicationError
from apps.core.faults import STATUSES, SandboxFaultInvalid, fault_of
from apps.core.principal import Principal
from apps.core.scopes import PARTNER_LEVEL
from apps.events.snapshots import event_snapshot
from apps.events.types import EVENT_TYPES
from apps.partners.models import Environment
from apps.partners.portal.mixins import PortalMixin
from apps.partners.services import sandbox_fault_set, sandbox_reset_request
from apps.wallets.categories import CATEGORIES
from apps.wallets.currencies import format_amount
from apps.wallets.models import Transaction, Wallet, WalletHolder
from apps.wallets.snapshots import transaction_snapshot
from sandbox.clock import clock_advance
from sandbox.fire import event_fire
from sandbox.simulations import card_authorise, card_refresh, deposit_simulate
from sandbox.snapshots import card_snapshot, clock_snapshot, faults_snapshot, reset_snapshot

PAGE_SIZE = 20
SESSION_LAST_CALL = "sandbox_last_call"


def _sandbox(view: PortalMixin) -> Environment:
    return next(e for e in view.portal.environments if e.kind == Environment.Kind.SANDBOX)


def _principal(view: PortalMixin, request: HttpRequest) -> Principal:
    sandbox = Environment.objects.get(pk=_sandbox(view).pk)
    return Principal(
        partner=view.portal.partner,
        environment=sandbox,
        credential_type="portal",
        credential_id=f"portal:{request.user.pk}",
        scopes=PARTNER_LEVEL,
    )


def _amount(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class SandboxPageView(PortalMixin, View):
    """Holders with their wallets and balances, a page at a time, and the action forms."""

    def get(self, request: HttpRequest) -> HttpResponse:
        sandbox = Environment.objects.get(pk=_sandbox(self).pk)
        holders = (
            WalletHolder.objects.filter(partner=self.portal.partner, environment="sandbox")
            .order_by("pk")
            .prefetch_related("wallets")
        )
        page = Paginator(holders, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [
            {
                "id": h.public_id,
                "name": h.name,
                "kyc_tier": h.kyc_tier,
                "wallets": [
                    {
                        "id": w.public_id,
                        "currency": w.currency,
                        "status": w.status,
                        "ledger": format_amount(w.ledger_balance, w.currency),
                        "available": format_amount(w.available_balance, w.currency),
                    }
                    for w in sorted(h.wallets.all(), key=lambda w: w.pk)
                ],
            }
            for h in page.object_list
        ]
        context = {
            "sandbox": sandbox,
            "clock": clock_snapshot(sandbox),
            "page": page,
            "rows": rows,
            "event_types": EVENT_TYPES,
            "faults": faults_snapshot(sandbox),
            "fault_statuses": STATUSES,
            "categories": CATEGORIES,
            "last_call": request.session.pop(SESSION_LAST_CALL, None),
            "base_url": request.build_absolute_uri("/").rstrip("/"),
        }
        return render(request, "portal/sandbox/page.html", context)


class SandboxHolderView(PortalMixin, View):
    """One holder's wallets and their transactions, newest first, a page at a time."""

    def get(self, request: HttpRequest, holder_id: str) -> HttpResponse:
        holder = WalletHolder.objects.filter(
            partner=self.portal.partner, environment="sandbox", public_id=holder_id
        ).first()
        if holder is None:
            raise Http404("No such holder in this sandbox.")
        wallets = list(Wallet.objects.filter(holder=holder).order_by("pk"))
        transactions = Transaction.objects.filter(wallet__holder=holder).select_related("wallet").order_by("-pk")
        page = Paginator(transactions, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [
            {
                "id": t.public_id,
                "wallet": t.wallet.public_id,
                "booked_at": t.booked_at,
                "description": t.description,
                "category": t.category,
                "status": t.status,
                "amount": format_amount(t.amount, t.currency),
                "currency": t.currency,
            }
            for t in page.object_list
        ]
        context = {"holder": holder, "wallets": wallets, "page": page, "rows": rows}
        return render(request, "portal/sandbox/holder.html", context)


class SandboxActionView(PortalMixin, View):
    """Run one simulation and keep the equivalent API call and its answer for the page to show."""

    required_permission = "manage_sandbox"

    def post(self, request: HttpRequest, action: str) -> HttpResponse:
        data = request.POST
        principal = _principal(self, request)
        try:
            path, body, status, answer = self._run(action, principal, data)
        except ApplicationError as error:
            messages.error(request, f"{error.code}: {error.detail}")
            return redirect("portal:sandbox")
        request.session[SESSION_LAST_CALL] = {
            "method": "DELETE" if action == "faults-off" else "POST",
            "path": path,
            "body": json.dumps(body, indent=2) if body is not None else "",
            "status": status,
            "answer": json.dumps(answer, indent=2),
        }
        return redirect("portal:sandbox")

    def _run(self, action: str, principal: Principal, data: Any) -> tuple[str, Any, int, dict[str, Any]]:
        if action == "deposit":
            body = {
                "wallet": data.get("wallet", ""),
                "amount": _amount(data.get("amount")),
                "currency": data.get("currency", ""),
            }
            txn = deposit_simulate(
                principal=principal, wallet_id=body["wallet"], amount=body["amount"], currency=body["currency"]
            )
            return "/v1/sandbox/deposits", body, 201, transaction_snapshot(txn)
        if action == "card":
            merchant = {
                "name": data.get("merchant_name") or "Blue Door Diner",
                "category": data.get("category", "other"),
            }
            if merchant["category"] not in CATEGORIES:
                merchant["category"] = "other"
            body = {
                "wallet": data.get("wallet", ""),
                "amount": _amount(data.get("amount")),
                "currency": data.get("currency", ""),
                "merchant": merchant,
            }
            card = card_authorise(
                principal=principal,
                wallet_id=body["wallet"],
                amount=body["amount"],
                currency=body["currency"],
                merchant_name=merchant["name"][:200],
                merchant_category=merchant["category"],
            )
            return "/v1/sandbox/card_transactions", body, 201, card_snapshot(card_refresh(card))
        if action == "clock":
            body = {"seconds": _amount(data.get("seconds"))}
            environment = clock_advance(principal=principal, seconds=body["seconds"])
            return "/v1/sandbox/clock/advance", body, 200, clock_snapshot(environment)
        if action == "fire":
            event_type = data.get("type", "")
            if event_type not in EVENT_TYPES:
                raise ApplicationError("Choose an event type of the catalogue.", code="parameter_invalid", status=400)
            event = event_fire(principal=principal, type=event_type)
            return "/v1/sandbox/webhooks/fire", {"type": event_type}, 201, event_snapshot(event)
        if action == "reset":
            environment = sandbox_reset_request(environment=principal.environment)
            return "/v1/sandbox/reset", None, 202, reset_snapshot(environment)
        if action == "faults":
            body = _fault_body(data)
            environment = sandbox_fault_set(environment=principal.environment, fault=fault_of(**body))
            return "/v1/sandbox/faults", body, 200, faults_snapshot(environment)
        if action == "faults-off":
            environment = sandbox_fault_set(environment=principal.environment, fault=None)
            return "/v1/sandbox/faults", None, 200, faults_snapshot(environment)
        raise Http404("No such action.")


def _fault_body(data: Any) -> dict[str, Any]:
    """The fault form as the API's body; a value that is not a number is refused like an out-of-range one."""
    try:
        status = int(data["status"]) if data.get("status") else None
        return {"latency_ms": int(data.get("latency_ms") or 0), "status": status, "rate": float(data.get("rate") or 1)}
    except ValueError as error:
        raise SandboxFaultInvalid() from error
