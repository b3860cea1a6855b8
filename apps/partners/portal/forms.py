"""Portal forms that are not specific to one area."""

from typing import Any

from django import forms
from django.db import transaction

from apps.core.ids import looks_like
from apps.partners.services import audit, partner_create


class CursorField(forms.CharField):
    """A list page's keyset cursor (the "Older" link carries it): empty, or a public id of the listed kind."""

    widget = forms.HiddenInput

    def __init__(self, *, prefix: str, **kwargs: Any) -> None:
        self.prefix = prefix
        super().__init__(required=False, max_length=40, **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if value and not looks_like(value, self.prefix):
            raise forms.ValidationError("Not a page of this list.")
        return str(value)


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
