"""The portal's Offers page (``/portal/offers/``): the environment's offers with their budget spent, redemptions
and audience estimate, the offers funding, a form to create an offer, and pause/resume. Every change goes through
``apps.offers.services`` (as the API's do); another partner's offer is a 404."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from apps.core import clock
from apps.core.errors import ApplicationError, NotFound
from apps.core.principal import Principal
from apps.offers.models import Offer, OfferFunding
from apps.offers.selectors.offers import audience_estimate, offer_list
from apps.offers.services.offers import OfferSpec, offer_create, offer_set_paused, reward_currency
from apps.offers.snapshots import status_at
from apps.partners.portal.mixins import PortalMixin
from apps.wallets.categories import CATEGORIES

CATEGORY_CHOICES = [("", "any")] + [(c, c) for c in CATEGORIES]


class OfferForm(forms.Form):
    merchant_name = forms.CharField(max_length=200, label="Merchant name", help_text="Matched ignoring case.")
    merchant_category = forms.ChoiceField(choices=CATEGORY_CHOICES, required=False, label="Merchant category")
    reward_type = forms.ChoiceField(choices=[(t, t.replace("_", " ")) for t in Offer.RewardType.values], label="Reward")
    reward_value = forms.DecimalField(
        min_value=Decimal("0.01"),
        decimal_places=2,
        label="Reward value",
        help_text="Percent for cashback percent; minor units for fixed cashback; points for points.",
    )
    reward_cap = forms.IntegerField(required=False, min_value=1, label="Cap (minor units, percent only)")
    min_spend = forms.IntegerField(min_value=0, initial=0, label="Minimum spend (minor units)")
    currency = forms.CharField(min_length=3, max_length=3, initial="USD")
    budget = forms.IntegerField(min_value=1, label="Budget (minor units; points for points offers)")
    per_holder_limit = forms.IntegerField(min_value=1, max_value=1000, initial=1, label="Rewards per holder")
    ends_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), help_text="UTC; empty: no end"
    )
    target_categories = forms.MultipleChoiceField(
        choices=[(c, c) for c in CATEGORIES], required=False, widget=forms.CheckboxSelectMultiple
    )
    target_min_spend_90d = forms.IntegerField(min_value=0, initial=0, label="Spent there in 90 days (minor units)")

    def spec(self) -> OfferSpec:
        data = self.cleaned_data
        percent = data["reward_type"] == Offer.RewardType.CASHBACK_PERCENT
        currency = data["currency"].upper()
        return OfferSpec(
            merchant_name=data["merchant_name"],
            merchant_category=data["merchant_category"],
            reward_type=data["reward_type"],
            reward_value=int(data["reward_value"] * 100) if percent else int(data["reward_value"]),
            reward_cap=data["reward_cap"],
            min_spend=data["min_spend"],
            currency=currency,
            budget=data["budget"],
            budget_currency=reward_currency(reward_type=data["reward_type"], currency=currency),
            ends_at=data["ends_at"],
            per_holder_limit=data["per_holder_limit"],
            target_categories=list(data["target_categories"]),
            target_min_spend_90d=data["target_min_spend_90d"],
        )


class _OffersMixin(PortalMixin):
    def principal(self) -> Principal:
        """The page acts for the member's current partner and environment (the portal context's principal)."""
        return self.portal.principal

    def page(self, request: HttpRequest, form: OfferForm, status: int = 200) -> HttpResponse:
        principal = self.principal()
        now: datetime = clock.now(environment=principal.environment)
        rows = [
            (offer, status_at(offer, now), audience_estimate(principal=principal, offer=offer, now=now))
            for offer in offer_list(principal=principal).order_by("-pk")[:50]
        ]
        funding = [
            (row.currency, row.funded, row.allocated, row.funded - row.allocated)
            for row in OfferFunding.objects.filter(environment=principal.environment).order_by("currency")
        ]
        context: dict[str, Any] = {"rows": rows, "funding": funding, "form": form}
        return render(request, "portal/offers/list.html", context, status=status)


class OfferListView(_OffersMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, OfferForm())


class OfferCreateView(_OffersMixin, View):
    required_permission = "manage_offers"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                offer = offer_create(principal=self.principal(), spec=form.spec())
            except ApplicationError as error:
                for item in error.errors or [{"message": error.detail}]:
                    form.add_error(None, item["message"])
            else:
                messages.success(request, f"Offer {offer.public_id} at {offer.merchant_name} is active.")
                return redirect("portal:offers")
        return self.page(request, form, status=400)


class OfferPauseView(_OffersMixin, View):
    """POST ``action=pause|resume``."""

    required_permission = "manage_offers"

    def post(self, request: HttpRequest, offer_id: str) -> HttpResponse:
        paused = request.POST.get("action") == "pause"
        try:
            offer_set_paused(principal=self.principal(), offer_id=offer_id, paused=paused)
        except NotFound as missing:
            raise Http404(missing.detail) from missing
        except ApplicationError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, f"Offer {offer_id} {'paused' if paused else 'resumed'}.")
        return redirect("portal:offers")
