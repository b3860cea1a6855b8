"""The portal's Offers page: members see the environment's offers with budget spent, redemptions and the audience
estimate; developers and up create, pause and resume them through the same services; viewers change nothing;
another partner's offer is a 404."""

import pytest

from apps.offers.models import Offer
from tests.offers.factories import fund, make_offer, opted_in_holder
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db

FORM = {
    "merchant_name": "Lucky Noodle",
    "merchant_category": "dining",
    "reward_type": "cashback_fixed",
    "reward_value": "150",
    "min_spend": "1000",
    "currency": "USD",
    "budget": "5000",
    "per_holder_limit": "2",
    "target_min_spend_90d": "0",
}


def test_the_page_lists_offers_with_spent_redemptions_and_audience(owner):
    sandbox = owner.sandbox
    offer = make_offer(sandbox)
    opted_in_holder(owner.partner)

    page = owner.client.get("/portal/offers/")

    assert page.status_code == 200
    html = page.content.decode()
    assert offer.public_id in html and "0 / 10000 USD" in html and "1 holder" in html
    assert "Create an offer" in html


def test_a_developer_creates_pauses_and_resumes_an_offer(member):
    developer = member("developer")
    fund(developer.sandbox, 5_000)

    created = developer.client.post("/portal/offers/new/", FORM, follow=True)

    offer = Offer.objects.get()
    assert (offer.merchant_name, offer.reward_value, offer.budget) == ("Lucky Noodle", 150, 5_000)
    assert created.content.count(b"is active.") == 1  # shown once, by the portal layout
    developer.client.post(f"/portal/offers/{offer.public_id}/pause/", {"action": "pause"})
    assert Offer.objects.get().status == "paused"
    developer.client.post(f"/portal/offers/{offer.public_id}/pause/", {"action": "resume"})
    assert Offer.objects.get().status == "active"


def test_a_refused_offer_shows_why_and_writes_nothing(owner):
    response = owner.client.post("/portal/offers/new/", FORM)

    assert response.status_code == 400
    assert b"offers funding is free" in response.content
    assert not Offer.objects.exists()


def test_viewers_change_nothing_and_other_partners_offers_are_404(member):
    viewer = member("viewer")
    mine = make_offer(viewer.sandbox)
    theirs = make_offer(PartnerFactory().environments.get(kind="sandbox"))

    assert viewer.client.post(f"/portal/offers/{mine.public_id}/pause/", {"action": "pause"}).status_code == 403
    assert Offer.objects.get(pk=mine.pk).status == "active"
    owner = member("owner")
    assert owner.client.post(f"/portal/offers/{theirs.public_id}/pause/", {"action": "pause"}).status_code == 404
