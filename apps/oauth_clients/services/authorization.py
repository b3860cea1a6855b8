"""A holder's consent from the authorize request to the holder's answer.

``consent_create`` opens a consent ``awaiting_authorization`` for the scopes an app asked for;
``consent_authorize`` records the holder's approval (the wallets shared, the scopes, the payment mandates and
the expiry) with a ``consent.granted`` event; ``consent_reject`` records a refusal. Each writes its status
through ``lifecycle.consent_transition``, so the history is complete. What happens to a consent later
(revocation, expiry) is written by the consents' own lifecycle services.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from apps.core import clock
from apps.core.errors import error_type
from apps.core.scopes import PERSONALISATION
from apps.oauth_clients.authorization_details import MandateSpec
from apps.oauth_clients.models import Application, Consent, Mandate
from apps.oauth_clients.services.lifecycle import consent_event, consent_locked, consent_transition
from apps.wallets.models import FundingSource, Wallet, WalletHolder
from apps.wallets.preferences import personalisation_set

ConsentInvalid = error_type(
    "ConsentInvalid",
    "consent_invalid",
    400,
    "Invalid consent",
    "The consent was not saved: fix the fields listed in errors.",
    doc="The holder's answer on the consent screen broke a rule (no wallet chosen, a wallet or payee that is "
    "not theirs or does not exist, scopes beyond the request).",
)

S = Consent.Status


def default_expiry(*, now: datetime, holder: WalletHolder | None = None) -> datetime:
    """When a consent opened or approved at ``now`` expires by default: after ``CONSENT_DEFAULT_DAYS``, or after
    the holder's own ``consent_lifetime_hours`` when it has one (a holder-level rule; the sandbox seed sets 23
    for the ``user_consent_expiring`` persona, whose consents are due for ``consent.expiring`` at once)."""
    if holder is not None and holder.consent_lifetime_hours:
        return now + timedelta(hours=holder.consent_lifetime_hours)
    return now + timedelta(days=settings.CONSENT_DEFAULT_DAYS)


def holder_may_consent(*, application: Application, holder: WalletHolder) -> bool:
    """Whether ``holder`` can be asked by ``application`` at all: a holder of the app's environment (in
    sandbox, one of the partner's own sandbox holders), and not closed."""
    environment = application.environment
    if holder.environment != environment.kind or holder.status == WalletHolder.Status.CLOSED:
        return False
    return environment.kind != "sandbox" or holder.partner_id == application.partner_id


@transaction.atomic
def consent_create(*, application: Application, holder: WalletHolder, scopes: Sequence[str]) -> Consent:
    """Open a consent ``awaiting_authorization`` for ``scopes`` (already checked against the app's allowed
    scopes by the caller) between ``application`` and ``holder``; it expires, unanswered, after the default
    consent lifetime. Raises ``ConsentInvalid`` when the holder is not one the app may ask."""
    if not holder_may_consent(application=application, holder=holder):
        raise ConsentInvalid("This holder cannot grant consent to this app.")
    environment = application.environment
    now = clock.now(environment=environment)
    consent = Consent.objects.create(
        partner_id=application.partner_id,
        environment=environment,
        application=application,
        holder=holder,
        scopes=sorted(set(scopes)),
        expires_at=default_expiry(now=now, holder=holder),
    )
    consent.status_changes.create(previous_status="", status=S.AWAITING_AUTHORIZATION, actor="holder", at=now)
    return consent


def _field(field: str, code: str, message: str) -> dict[str, str]:
    return {"field": field, "code": code, "message": message}


def payee_name(*, consent: Consent, payee: str) -> str | None:
    """What the holder sees for ``payee``: the owner of a wallet of the consent's environment (in sandbox, one
    of the partner's holders) or a funding source of the consenting holder; None when no such payee exists."""
    if payee.startswith("wal_"):
        wallets = Wallet.objects.filter(public_id=payee, holder__environment=consent.environment.kind)
        if consent.environment.kind == "sandbox":
            wallets = wallets.filter(holder__partner_id=consent.partner_id)
        wallet = wallets.select_related("holder").first()
        return f"{wallet.holder.name} ({wallet.currency} wallet)" if wallet else None
    if payee.startswith("fs_"):
        source = FundingSource.objects.filter(
            public_id=payee, holder_id=consent.holder_id, status=FundingSource.Status.ACTIVE
        ).first()
        if source is None:
            return None
        kind = "bank account" if source.kind == FundingSource.Kind.BANK_ACCOUNT else (source.brand or "card")
        return f"your {kind} ending {source.last4}"
    return None


def _mandates(consent: Consent, specs: Sequence[MandateSpec], now: datetime) -> list[Mandate]:
    problems = []
    rows = []
    for index, spec in enumerate(specs):
        name = ""
        if spec.payee:
            found = payee_name(consent=consent, payee=spec.payee)
            if found is None:
                problems.append(_field(f"authorization_details[{index}].payee", "not_found", "No such payee."))
                continue
            name = found
        rows.append(
            Mandate(
                consent=consent,
                kind=spec.kind,
                payee=spec.payee,
                payee_name=name,
                currency=spec.currency,
                amount=spec.amount,
                max_per_payment=spec.max_per_payment,
                max_per_period=spec.max_per_period,
                period=spec.period,
                step_up_threshold=spec.step_up_threshold,
                expires_at=spec.expires_at,
                period_start=now if spec.kind == Mandate.Kind.STANDING else None,
            )
        )
    if problems:
        raise ConsentInvalid("A payment authorisation names a payee that does not exist.", errors=problems)
    return rows


@transaction.atomic
def consent_authorize(
    *,
    consent: Consent,
    wallet_ids: Sequence[str],
    scopes: Sequence[str] | None = None,
    mandates: Sequence[MandateSpec] = (),
    expires_at: datetime | None = None,
) -> Consent:
    """The holder approves ``consent``: share the wallets ``wallet_ids`` (at least one, each an open wallet of
    the consent's holder), grant ``scopes`` (a subset of the requested ones; default all of them), authorise
    the payments ``mandates`` (which need ``transfers:write``), until ``expires_at`` (default: the consent
    lifetime: ``CONSENT_DEFAULT_DAYS``, or the holder's ``consent_lifetime_hours``). Writes the mandates, the
    ``authorized`` history row and the ``consent.granted`` event in one transaction.

    Raises ``ConsentInvalid`` (nothing written) for a broken rule and ``InvalidStateTransition`` when the
    consent was already answered."""
    consent = consent_locked(consent)
    now = clock.now(environment=consent.environment)
    granted = sorted(set(consent.scopes if scopes is None else scopes))
    problems = []
    if not set(granted) <= set(consent.scopes):
        problems.append(_field("scopes", "not_requested", "Only the requested scopes can be granted."))
    if not granted:
        problems.append(_field("scopes", "required", "Grant at least one scope."))
    unique_ids = set(wallet_ids)
    wallets = list(
        Wallet.objects.filter(holder_id=consent.holder_id, public_id__in=unique_ids).exclude(
            status=Wallet.Status.CLOSED
        )
    )
    if not unique_ids:
        problems.append(_field("wallets", "required", "Choose at least one wallet to share."))
    elif len(wallets) != len(unique_ids):
        problems.append(_field("wallets", "not_found", "Only your own open wallets can be shared."))
    if mandates and "transfers:write" not in granted:
        problems.append(_field("scopes", "transfers_write_required", "Payments need the transfers:write scope."))
    expiry = expires_at or default_expiry(now=now, holder=consent.holder)
    if expiry <= now:
        problems.append(_field("expires_at", "in_past", "The consent must expire in the future."))
    if problems:
        raise ConsentInvalid(errors=problems)
    rows = _mandates(consent, mandates, now)
    Mandate.objects.bulk_create(rows)
    consent.scopes = granted
    consent.expires_at = expiry
    consent.save(update_fields=["scopes", "expires_at", "updated_at"])
    consent.wallets.set(wallets)
    if PERSONALISATION & set(granted):
        # The consent screen says so beside these scopes: granting them is the holder's opt-in (docs/offers.md).
        personalisation_set(holder=consent.holder, enabled=True)
    consent_transition(consent, S.AUTHORIZED, reason="holder_approved", actor="holder", now=now)
    consent_event(consent, "consent.granted")
    return consent


@transaction.atomic
def consent_reject(*, consent: Consent, reason: str = "holder_denied") -> Consent:
    """The holder refuses ``consent``: ``rejected``, with its history row. Raises ``InvalidStateTransition``
    when it was already answered."""
    consent = consent_locked(consent)
    consent_transition(
        consent, S.REJECTED, reason=reason, actor="holder", now=clock.now(environment=consent.environment)
    )
    return consent
