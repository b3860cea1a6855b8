"""A live wallet holder opens their own login (the sign-up page, ``apps.wallets.portal``): a user, its unverified
allauth e-mail address and a live holder in one transaction; the verification e-mail goes out after commit."""

from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.http import HttpRequest

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


def email_taken(email: str) -> bool:
    """Whether any account uses ``email`` (as its username, its e-mail or one of its addresses)."""
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
    if email_taken(email):
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
