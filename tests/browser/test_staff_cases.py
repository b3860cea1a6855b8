"""The staff's case pages in a real browser: a sandbox transfer to a listed name is held; a staff member signs
in, finds its case in the queue, opens it, sees the hit, clears it, and the transfer is released."""

import pytest
from playwright.sync_api import Page, expect

from apps.risk.models import Case
from apps.transfers.models import Transfer
from tests.core.factories import UserFactory
from tests.partners.factories import PartnerFactory
from tests.transfers.factories import create_transfer, fresh_reference_tables
from tests.wallets.factories import make_holder, make_wallet

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "case-reviewer-pass-1"  # pragma: allowlist secret


def test_staff_clear_a_held_transfers_case_from_the_queue(page: Page, console_errors):
    with fresh_reference_tables(seed=True):
        partner = PartnerFactory()
        payer = make_wallet(holder=make_holder(partner=partner, name="Ada Lovelace", kyc_tier="full"), balance=5_000)
        listed = make_wallet(holder=make_holder(partner=partner, name="Sanctiond Persson", kyc_tier="full"))
        transfer = create_transfer(
            partner.environments.get(kind="sandbox"),
            type="p2p",
            source=payer.public_id,
            destination=listed.public_id,
            amount=300,
            currency="USD",
        )
    assert transfer.status == "held"
    case = Case.objects.get(holder=payer.holder)
    staff = UserFactory(username="reviewer@bank.test", email="reviewer@bank.test", is_staff=True)
    staff.set_password(PASSWORD)
    staff.save()

    page.goto("/staff/cases/")
    assert "/admin/login/" in page.url
    page.get_by_label("Username").fill("reviewer@bank.test")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert page.url.endswith("/staff/cases/")

    page.get_by_label("Alert kind").select_option("sanctions_transfer")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    row = page.locator(f'tr[data-case="{case.public_id}"]')
    expect(row).to_contain_text("sanctions_transfer")
    with page.expect_navigation():
        row.get_by_role("link", name=case.public_id).click()

    expect(page.get_by_role("heading", name=f"Case {case.public_id}")).to_be_visible()
    expect(page.get_by_test_id("hits")).to_contain_text("PERSON, Sanctioned")
    expect(page.locator(f'tr[data-transfer="{transfer.public_id}"]')).to_contain_text("held")
    page.get_by_label("Clear: nothing to report").fill("Namesake: different person")
    with page.expect_navigation():
        page.get_by_test_id("clear").click()

    expect(page.get_by_text("Case cleared.")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("Cleared")
    expect(page.locator(f'tr[data-transfer="{transfer.public_id}"]')).to_contain_text("succeeded")
    expect(page.get_by_test_id("trail")).to_contain_text("case.cleared")
    assert Transfer.objects.get(pk=transfer.pk).status == "succeeded"
    assert console_errors.all() == []
