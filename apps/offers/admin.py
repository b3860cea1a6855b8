"""Bank staff's side of offers: the partners' offers funding (read-only) and the payments staff recorded into it.
Live offers are funded here, against the partner's payment: "Add" on the payments page is the form that calls
``services.staff_funding.offer_funding_receive`` (the ledger journal, the payment row and the audit row in one
transaction); nothing here edits a row directly."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from apps.core.admin import ReadOnlyAdmin
from apps.core.errors import ApplicationError
from apps.offers.models import OfferFunding, OfferFundingPayment
from apps.offers.services.staff_funding import offer_funding_receive
from apps.partners.models import Environment
from apps.wallets import currencies


@admin.register(OfferFunding)
class OfferFundingAdmin(ReadOnlyAdmin):
    """What each partner environment has funded and what its offers' budgets set aside, per currency."""

    list_display = ("public_id", "partner", "environment", "currency", "funded", "allocated", "updated_at")
    list_filter = ("environment__kind", "currency")
    list_select_related = ("partner", "environment")
    search_fields = ("public_id", "partner__public_id", "partner__name")


class _LiveEnvironmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.partner.name} ({obj.partner.public_id})"


class PaymentForm(forms.Form):
    environment = _LiveEnvironmentField(
        queryset=Environment.objects.filter(kind=Environment.Kind.LIVE).select_related("partner").order_by("pk"),
        label="Partner (live)",
        help_text="The partner whose live offers the payment funds.",
    )
    currency = forms.ChoiceField(choices=[(c, c) for c in currencies.CODES])
    amount = forms.IntegerField(min_value=1, help_text="In minor units (cents); points for XPT.")
    payment_reference = forms.CharField(max_length=100, help_text="The partner's payment as the bank received it.")
    note = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))


@admin.register(OfferFundingPayment)
class OfferFundingPaymentAdmin(ReadOnlyAdmin):
    """Payments staff recorded into live offers funding. "Add" records one (the form below, not a model form)."""

    list_display = ("public_id", "partner", "currency", "amount", "payment_reference", "recorded_by", "created_at")
    list_filter = ("currency", "created_at")
    list_select_related = ("partner", "recorded_by")
    search_fields = ("public_id", "payment_reference", "partner__public_id", "partner__name")
    ordering = ("-pk",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("offers.add_offerfundingpayment")

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        form = PaymentForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                recorded = offer_funding_receive(
                    environment=data["environment"],
                    currency=data["currency"],
                    amount=data["amount"],
                    payment_reference=data["payment_reference"],
                    note=data["note"],
                    staff_user=request.user,
                )
            except ApplicationError as error:
                form.add_error(None, str(error.detail))
            else:
                payment = recorded.payment
                if recorded.created:
                    text = f"Recorded {payment.public_id}: {payment.amount} {payment.currency} funds the live offers."
                    self.message_user(request, text, messages.SUCCESS)
                else:
                    text = f"Payment {payment.payment_reference!r} was already recorded ({payment.public_id}); "
                    self.message_user(request, text + "nothing moved.", messages.WARNING)
                return HttpResponseRedirect(reverse("admin:offers_offerfundingpayment_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Record a partner's payment for live offers",
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/offers/funding_payment.html", context)
