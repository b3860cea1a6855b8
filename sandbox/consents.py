"""``POST /v1/sandbox/consents/{id}/expire``: a consent of the sandbox reaches its expiry now. Its ``expires_at``
is brought to the sandbox clock's now and the consents service expires it as the beat task would
(``consent_expire``: ``expired``, its tokens end, ``consent.expired``)."""

from django.db import transaction

from apps.core import clock
from apps.core.errors import InvalidStateTransition
from apps.core.principal import Principal
from apps.oauth_clients.models import Consent
from apps.oauth_clients.selectors import consent_get
from apps.oauth_clients.services.consents import consent_expire

LIVE = (Consent.Status.AUTHORIZED, Consent.Status.AWAITING_AUTHORIZATION)


def consent_expire_now(*, principal: Principal, consent_id: str) -> Consent:
    """Expire an authorized or unanswered consent of the principal's sandbox. Raises ``NotFound`` and
    ``InvalidStateTransition`` (409: revoked or expired already)."""
    consent = consent_get(principal=principal, consent_id=consent_id)
    with transaction.atomic():
        due = Consent.objects.filter(pk=consent.pk, status__in=LIVE).update(
            expires_at=clock.now(environment=principal.environment)
        )
        if not due or not consent_expire(consent_id=consent.pk):
            raise InvalidStateTransition(f"Consent {consent.public_id} is {consent.status}: it cannot expire.")
    return consent_get(principal=principal, consent_id=consent_id)
