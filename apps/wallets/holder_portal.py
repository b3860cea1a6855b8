"""The live wallet holder's sign-up page, ``/holders/signup/``: the bank's customers open their own login.

Separate from the partner portal: its own templates, no portal navigation, and signing up never logs anyone
in (the consent screen brings its own holder session). It creates a user (username = the e-mail, lower-cased),
the allauth e-mail address (unverified) and a live holder (KYC tier ``unverified``), then e-mails the
verification link through allauth.
"""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.core import ratelimit
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from apps.core.errors import error_type
from apps.wallets.models import WalletHolder
from apps.wallets.services import holder_create

EmailTaken = error_type(
    "EmailTaken",
    "email_taken",
    409,
    "E-mail address taken",
    "An account with this e-mail address already exists. Log in, or reset your password.",
)


def _email_taken(email: str) -> bool:
    users = get_user_model().objects
    return (
        users.filter(username__iexact=email).exists()
        or users.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def _send_confirmation(address: EmailAddress, request: HttpRequest) -> None:
    # allauth reads the request (for the link's host) from its own context, which is only set while its
    # middleware runs; an on-commit callback may run after that.
    with allauth_context.request_context(request):
        address.send_confirmation(request, signup=True)


def live_holder_signup(*, name: str, email: str, password: str, request: HttpRequest) -> WalletHolder:
    """Create a live holder with its own login: a user, its unverified e-mail address and the holder, in one
    transaction; the verification e-mail (its link built from ``request``) goes out once it commits. The
    password must already have passed the validators. Raises ``EmailTaken`` (409) when any account uses the
    address."""
    email = email.strip().lower()
    if _email_taken(email):
        raise EmailTaken()
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(username=email[:150], email=email, password=password)
            address = EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
            holder = holder_create(
                environment="live",
                partner=None,
                name=name,
                email=email,
                kyc_tier=WalletHolder.KycTier.UNVERIFIED,
                user=user,
            )
            transaction.on_commit(lambda: _send_confirmation(address, request))
    except IntegrityError as exc:
        # Two sign-ups with one address at once: the unique username lets exactly one through.
        raise EmailTaken() from exc
    return holder


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
        if _email_taken(email):
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
