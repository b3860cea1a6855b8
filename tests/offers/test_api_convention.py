"""The offers app's output serializers describe exactly what its snapshots send (docs/architecture.md, "API
convention"): rendered over a snapshot, each gives the same bytes back."""

import json

import pytest
from django.utils import timezone

from apps.offers import serializers as s
from apps.offers import snapshots
from apps.offers.models import OfferFunding
from apps.offers.selectors.insights import holder_insights
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
