"""The live wallet holder's sign-up page, ``/holders/signup/``: the bank's customers open their own login.

Separate from the partner portal: its own templates, no portal navigation, and signing up never logs anyone
in (the consent screen brings its own holder session). It creates a user (username = the e-mail, lower-cased),
the allauth e-mail address (unverified) and a live holder (KYC tier ``unverified``), then e-mails the
verification link through allauth.
"""

from typing import Any

from allauth.core import ratelimit
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from apps.wallets.holder_signup import EmailTaken, email_taken, live_holder_signup


class HolderSignupForm(forms.Form):
    name = forms.CharField(max_length=200, label="Full name")
    email = forms.EmailField(max_length=150, label="E-mail address")
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter your name.")
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email_taken(email):
            raise forms.ValidationError(EmailTaken.default_detail, code="email_taken")
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            # Judged against the would-be user, so a password like the e-mail address is refused.
            candidate = get_user_model()(username=cleaned.get("email", ""), email=cleaned.get("email", ""))
            candidate.first_name = cleaned.get("name", "")[:150]
            try:
                password_validation.validate_password(password, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class HolderSignupView(FormView):
    template_name = "holders/signup.html"
    form_class = HolderSignupForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The partner sign-up's budget (ACCOUNT_RATE_LIMITS["signup"], per IP) covers this page too.
        if not ratelimit.consume(request, action="signup"):
            return self.render_to_response(self.get_context_data(rate_limited=True), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: HolderSignupForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            live_holder_signup(name=data["name"], email=data["email"], password=data["password"], request=self.request)
        except EmailTaken as taken:
            form.add_error("email", taken.detail)
            return self.form_invalid(form)
        return redirect("holders:signup-done")


class HolderSignupDoneView(TemplateView):
    template_name = "holders/signup_done.html"
