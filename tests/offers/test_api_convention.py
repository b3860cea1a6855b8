"""The offers app's output serializers describe exactly what its snapshots send (docs/architecture.md, "API
convention"): rendered over a snapshot, each gives the same bytes back."""

import json

import pytest
from django.utils import timezone

from apps.offers import serializers as s
from apps.offers import snapshots
from apps.offers.models import Offer, OfferFunding, OfferRedemption
from apps.offers.selectors.insights import holder_insights
from apps.offers.services.funding import offer_funding_add
from tests.offers.factories import make_offer, opted_in_holder
from tests.transfers.factories import api_key_principal

pytestmark = pytest.mark.django_db


def same(serializer, sent):
    assert json.dumps(serializer(sent).data) == json.dumps(sent)


def test_offer_wallet_offer_audience_and_funding(sandbox, partner):
    now = timezone.now()
    offer = make_offer(sandbox, metadata={"campaign": "winter"}, target_categories=["dining"])
    same(s.OfferSerializer, snapshots.offer_snapshot(offer, now=now))
    same(s.WalletOfferSerializer, snapshots.wallet_offer_snapshot(offer, None, now=now))
    same(s.AudienceSerializer, snapshots.audience_snapshot(offer, 3, now=now))
    same(s.FundingSerializer, snapshots.funding_snapshot(OfferFunding.objects.get()))


def test_insights(sandbox, partner):
    holder = opted_in_holder(partner)
    insights = holder_insights(
        principal=api_key_principal(environment=sandbox),
        holder_id=holder.public_id,
        start=None,
        end=None,
        currency=None,
        today=timezone.now().date(),
    )
    same(s.InsightsSerializer, snapshots.insights_snapshot(insights))


def test_points_programme_and_redemption(sandbox, sandbox_client, partner):
    from apps.offers.models import PointsProgramme, PointsRedemption
    from tests.offers.test_points import redeem

    holder = opted_in_holder(partner)
    offer_funding_add(environment=sandbox, amount=100, currency="XPT")
    make_offer(
        sandbox,
        reward_type="points",
        reward_value=40,
        reward_cap=None,
        budget=100,
        budget_currency="XPT",
        fund_it=False,
    )
    sandbox_client.post(f"/v1/wallet_holders/{holder.public_id}/offers/{Offer.objects.get().public_id}/activate")
    card = sandbox_client.post(
        "/v1/sandbox/card_transactions",
        {
            "wallet": holder.wallets.get(currency="USD").public_id,
            "amount": 500,
            "currency": "USD",
            "merchant": {"name": "Bean There Coffee", "category": "dining"},
        },
        format="json",
    ).json()
    sandbox_client.post(f"/v1/sandbox/card_transactions/{card['id']}/post")
    sandbox_client.put("/v1/points/programme", {"name": "Gems", "rate": "2"}, format="json")
    assert redeem(sandbox_client, holder, 40).status_code == 201

    same(s.ProgrammeSerializer, snapshots.programme_snapshot(PointsProgramme.objects.get()))
    same(s.PointsRedemptionSerializer, snapshots.points_redemption_snapshot(PointsRedemption.objects.get()))
    same(s.RedemptionSerializer, snapshots.redemption_snapshot(OfferRedemption.objects.get()))
