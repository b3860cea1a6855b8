"""Portal forms that are not specific to one area."""

from typing import Any

from django import forms
from django.db import transaction

from apps.partners.services import audit, partner_create


class SignupForm(forms.Form):
    """Extra sign-up field: signing up creates the partner (with its sandbox) and makes the user its owner."""

    company_name = forms.CharField(
        max_length=200, label="Company name", help_text="Your organisation; you can invite your team later."
    )

    def clean_company_name(self) -> str:
        name = self.cleaned_data["company_name"].strip()
        if not name:
            raise forms.ValidationError("Enter your company's name.")
        return name

    @transaction.atomic
    def signup(self, request: Any, user: Any) -> None:
        partner = partner_create(name=self.cleaned_data["company_name"], owner=user, seed=True)
        audit.record(action="partner.created", partner=partner, actor=user, request=request, target=partner)
        request.session["portal_partner"] = partner.public_id


class PartnerSettingsForm(forms.Form):
    name = forms.CharField(max_length=200)
    mfa_required = forms.BooleanField(
        required=False, label="Require two-factor authentication for every member of this team"
    )
