"""The staff pages: staff only, the queue's filters and ageing, a case page with its evidence and its audit
trail, decisions through the forms (CSRF on, four-eyes), the report's exports, and the sanctions path end to
end: a sandbox transfer to a listed name is held and its case waits in the queue."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.test import Client

from apps.partners.models import AuditEvent
from apps.risk.models import Case
from tests.helpers import post_transfer
from tests.risk.factories import AlertFactory
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db
QUEUE = "/staff/cases/"


def case_url(case: Case, tail: str = "") -> str:
    return f"/staff/cases/{case.public_id}/{tail}"


def decide(client: Client, case: Case, decision: str, data: dict) -> None:
    response = client.post(case_url(case, f"decide/{decision}/"), data)
    assert response.status_code == 302 and response["Location"] == case_url(case), response


def page_messages(client: Client, case: Case) -> str:
    return client.get(case_url(case)).content.decode()


class TestStaffOnly:
    def test_signed_out_visitors_go_to_the_staff_sign_in(self, client):
        response = client.get(QUEUE)

        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")

    def test_partner_members_are_refused(self, owner, partner):
        case = AlertFactory(holder=make_holder(partner=owner.partner)).case

        assert owner.client.get(QUEUE).status_code == 403
        assert owner.client.get(case_url(case)).status_code == 403
        assert owner.client.post(case_url(case, "decide/close/"), {"note": "x"}).status_code == 403
        case.refresh_from_db()
        assert case.status == "open"

    def test_decisions_need_the_csrf_token(self, staff):
        case = AlertFactory().case
        client = Client(enforce_csrf_checks=True)
        client.force_login(staff)

        assert client.post(case_url(case, "decide/close/"), {"note": "x"}).status_code == 403
        case.refresh_from_db()
        assert case.status == "open"


class TestQueue:
    def test_filters_by_status_kind_assignee_and_environment_oldest_first(self, staff_client, staff, partner):
        older = AlertFactory(kind="structuring").case
        Case.objects.filter(pk=older.pk).update(opened_at=older.opened_at - timedelta(days=3))
        newer = AlertFactory(kind="mule_pattern").case
        newer.assignee = staff
        newer.save()
        live = AlertFactory(holder=make_holder(environment="live"), kind="risk_review").case
        closed = AlertFactory().case
        Case.objects.filter(pk=closed.pk).update(status="cleared")

        def shown(query: str = "") -> list[str]:
            response = staff_client.get(QUEUE + query)
            assert response.status_code == 200
            return [c.public_id for c in response.context["cases"]]

        assert shown() == [older.public_id, newer.public_id, live.public_id]
        assert shown("?order=newest") == [live.public_id, newer.public_id, older.public_id]
        assert shown("?kind=structuring") == [older.public_id]
        assert shown("?assignee=me") == [newer.public_id]
        assert shown(f"?assignee={staff.pk}") == [newer.public_id]
        assert shown("?assignee=none") == [older.public_id, live.public_id]
        assert shown("?environment=live") == [live.public_id]
        assert shown("?status=cleared") == [closed.public_id]
        assert len(shown("?status=all")) == 4
        assert "3\xa0days" in staff_client.get(QUEUE).content.decode()  # the oldest case's age

    def test_the_queue_reads_a_fixed_number_of_rows_however_many_cases(self, staff_client, django_assert_num_queries):
        for _ in range(3):
            AlertFactory()
        staff_client.get(QUEUE)  # the session and the user, read once
        # session, user, staff list (assignee choices), cases, their alerts
        with django_assert_num_queries(5):
            first = staff_client.get(QUEUE)
        for _ in range(5):
            AlertFactory()
        with django_assert_num_queries(5):
            second = staff_client.get(QUEUE)

        assert (len(first.context["cases"]), len(second.context["cases"])) == (3, 8)

    def test_an_unknown_filter_value_is_a_400(self, staff_client):
        assert staff_client.get(QUEUE + "?status=lost").status_code == 400


class TestCasePage:
    def test_viewing_a_case_is_recorded_and_shown_in_its_trail(self, staff_client, held):
        response = staff_client.get(case_url(held.case))

        assert response.status_code == 200
        body = response.content.decode()
        assert held.transfer.public_id in body and "PERSON, Sanctioned" in body
        assert "Sandbox test list v1 of 2026-12-01" in body
        event = AuditEvent.objects.get(target_id=held.case.public_id)
        assert (event.action, event.actor_email, event.partner) == ("case.viewed", "reviewer@bank.test", None)
        assert 'data-action="case.viewed"' in body

    def test_the_partners_audit_log_never_shows_case_events(self, owner, staff_client):
        case = AlertFactory(holder=make_holder(partner=owner.partner)).case
        staff_client.get(case_url(case))

        assert case.public_id not in owner.client.get("/portal/audit/").content.decode()

    def test_an_unknown_case_is_a_404(self, staff_client):
        assert staff_client.get("/staff/cases/case_missing/").status_code == 404


class TestDecisions:
    def test_assign_note_and_request_information(self, staff_client, staff, approver):
        case = AlertFactory().case

        decide(staff_client, case, "assign", {"assignee": "me"})
        decide(staff_client, case, "note", {"body": "Called the partner"})
        decide(staff_client, case, "request_info", {"note": "Source of funds asked"})
        decide(staff_client, case, "assign", {"assignee": str(approver.pk)})

        case.refresh_from_db()
        assert (case.status, case.assignee) == ("info_requested", approver)
        actions = list(
            AuditEvent.objects.filter(target_id=case.public_id).order_by("pk").values_list("action", flat=True)
        )
        assert actions == ["case.assigned", "case.note_added", "case.info_requested", "case.assigned"]

    def test_four_eyes_on_the_pages(self, staff_client, approver_client, partner):
        holder = make_holder(partner=partner)
        wallet = make_wallet(holder=holder)
        case = AlertFactory(holder=holder).case
        decide(staff_client, case, "propose", {"action": "freeze_wallet", "wallet": wallet.public_id, "reason": "r"})
        proposal = case.proposals.get()

        decide(staff_client, case, "approve", {"target": proposal.public_id})
        assert "cannot approve or reject it" in page_messages(staff_client, case)
        wallet.refresh_from_db()
        assert wallet.status == "active"

        decide(approver_client, case, "approve", {"target": proposal.public_id})
        wallet.refresh_from_db()
        assert wallet.status == "frozen"

    def test_a_form_without_its_note_decides_nothing(self, staff_client):
        case = AlertFactory().case

        decide(staff_client, case, "clear", {"note": "  "})

        case.refresh_from_db()
        assert case.status == "open"
        assert "Nothing was decided" in page_messages(staff_client, case)

    def test_an_unknown_decision_is_a_404(self, staff_client):
        assert staff_client.post(case_url(AlertFactory().case, "decide/shred/"), {}).status_code == 404


class TestReportExport:
    def test_json_and_csv_of_a_filed_report(self, staff_client, held):
        assert staff_client.get(case_url(held.case, "report.json")).status_code == 404  # not filed yet
        decide(staff_client, held.case, "report", {"narrative": "=Payment to a listed person"})

        as_json = staff_client.get(case_url(held.case, "report.json"))
        as_csv = staff_client.get(case_url(held.case, "report.csv"))

        document = json.loads(as_json.content)
        assert as_json["Content-Disposition"] == f'attachment; filename="{document["id"]}.json"'
        assert document["subject"]["holder"] == held.payer.holder.public_id
        rows = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
        assert [row["record_type"] for row in rows] == ["report", "alert", "screening_hit", "transfer"]
        assert rows[0]["detail"] == "'=Payment to a listed person"  # no formula runs in a spreadsheet
        assert rows[3]["record_id"] == held.transfer.public_id and rows[3]["amount"] == "250"
        exported = AuditEvent.objects.filter(target_id=held.case.public_id, action="case.report_exported")
        assert sorted(e.metadata["format"] for e in exported) == ["csv", "json"]


class TestSanctionsEndToEnd:
    def test_a_sandbox_transfer_to_a_listed_name_is_held_with_a_case_in_the_staff_queue(
        self, sandbox_client, staff_client, partner
    ):
        payer = make_wallet(holder=make_holder(partner=partner, name="Ada Lovelace", kyc_tier="full"), balance=5_000)
        listed = make_wallet(holder=make_holder(partner=partner, name="Sanctioned Person", kyc_tier="full"))

        response = post_transfer(
            sandbox_client,
            {
                "type": "p2p",
                "source": payer.public_id,
                "destination": listed.public_id,
                "amount": 100,
                "currency": "USD",
            },
        )

        body = response.json()
        assert (body["status"], body["review_reason"]) == ("held", "compliance_hold")
        partner_view = json.dumps(body) + sandbox_client.get(f"/v1/transfers/{body['id']}").content.decode()
        assert "case_" not in partner_view and "alr_" not in partner_view
        case = Case.objects.get(holder=payer.holder)
        queue = staff_client.get(QUEUE + "?kind=sanctions_transfer")
        assert [c.public_id for c in queue.context["cases"]] == [case.public_id]
        page = staff_client.get(case_url(case)).content.decode()
        assert body["id"] in page and 'data-alert="sanctions_transfer"' in page

        decide(staff_client, case, "clear", {"note": "Namesake: different date of birth"})

        assert sandbox_client.get(f"/v1/transfers/{body['id']}").json()["status"] == "succeeded"
