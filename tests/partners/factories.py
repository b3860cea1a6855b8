"""Factories for ``apps.partners``' models. Rows with a secret (API keys, invitations) and audit rows are made by
the services, so tests see what the platform writes; the secret is kept on the instance (``.secret``,
``.token``) because it exists nowhere else."""

from datetime import timedelta

import factory
from django.utils import timezone

from apps.partners.models import (
    ApiKey,
    AuditEvent,
    Environment,
    Invitation,
    LiveAccessRequest,
    Membership,
    Partner,
    RequestLog,
)
from apps.partners.services import api_key_create, audit, teams
from tests.core.factories import UserFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    """A partner with its sandbox environment, as ``partner_create`` makes it."""

    class Meta:
        model = Partner
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partner {n}")

    @factory.post_generation
    def sandbox(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            Environment.objects.create(partner=self, kind=Environment.Kind.SANDBOX)


def sandbox_of(partner: Partner) -> Environment:
    """The partner's sandbox environment."""
    return partner.environments.get(kind=Environment.Kind.SANDBOX)


def _new_sandbox() -> Environment:
    return sandbox_of(PartnerFactory())


class LiveEnvironmentFactory(factory.django.DjangoModelFactory):
    """A partner's live environment, as staff approval opens it."""

    class Meta:
        model = Environment

    partner = factory.SubFactory(PartnerFactory)
    kind = Environment.Kind.LIVE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partner = factory.SubFactory(PartnerFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.OWNER


class ApiKeyFactory(factory.django.DjangoModelFactory):
    """A secret key issued by ``api_key_create`` for ``environment`` (a fresh partner's sandbox by default); the
    key itself is ``.secret``."""

    class Meta:
        model = ApiKey

    environment = factory.LazyFunction(_new_sandbox)
    name = factory.Sequence(lambda n: f"Key {n}")

    @classmethod
    def _create(cls, model_class: type[ApiKey], **kwargs: object) -> ApiKey:
        issued = api_key_create(**kwargs)  # type: ignore[arg-type]
        issued.api_key.secret = issued.secret  # type: ignore[attr-defined]
        return issued.api_key


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation made by ``invitation_create`` on behalf of the partner's owner (made too unless
    ``invited_by`` is given); the token the e-mail carries is ``.token``."""

    class Meta:
        model = Invitation

    partner = factory.SubFactory(PartnerFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.test")
    role = Membership.Role.DEVELOPER
    invited_by = factory.LazyAttribute(lambda o: MembershipFactory(partner=o.partner, role=Membership.Role.OWNER).user)

    @classmethod
    def _create(cls, model_class: type[Invitation], **kwargs: object) -> Invitation:
        issued = teams.invitation_create(**kwargs)  # type: ignore[arg-type]
        issued.invitation.token = issued.token  # type: ignore[attr-defined]
        return issued.invitation


# Company details staff would accept in a request for live access (the portal form's fields too).
COMPANY_DETAILS = {
    "legal_name": "Acme Pay Ltd",
    "registration_number": "12345678",
    "country": "GB",
    "website": "https://acme.example",
    "use_case": "Balance checks and instant payouts for freelancers.",
}


class LiveAccessRequestFactory(factory.django.DjangoModelFactory):
    """A pending request for live access by the partner's owner, with company details staff would accept."""

    class Meta:
        model = LiveAccessRequest

    partner = factory.SubFactory(PartnerFactory)
    requested_by = factory.LazyAttribute(
        lambda o: MembershipFactory(partner=o.partner, role=Membership.Role.OWNER).user
    )
    legal_name = COMPANY_DETAILS["legal_name"]
    registration_number = COMPANY_DETAILS["registration_number"]
    country = COMPANY_DETAILS["country"]
    website = COMPANY_DETAILS["website"]
    use_case = COMPANY_DETAILS["use_case"]


class AuditEventFactory(factory.django.DjangoModelFactory):
    """An audit row written by ``apps.partners.audit.record``, as a member's action writes it."""

    class Meta:
        model = AuditEvent

    partner = factory.SubFactory(PartnerFactory)
    actor = factory.LazyAttribute(lambda o: MembershipFactory(partner=o.partner).user)
    action = "api_key.created"

    @classmethod
    def _create(cls, model_class: type[AuditEvent], **kwargs: object) -> AuditEvent:
        return audit.record(**kwargs)  # type: ignore[arg-type]


class RequestLogFactory(factory.django.DjangoModelFactory):
    """A logged ``/v1/`` request of a partner's sandbox key, written to the database the router picks for it
    (``aux`` on SQLite)."""

    class Meta:
        model = RequestLog

    partner_id_public = factory.LazyFunction(lambda: PartnerFactory().public_id)
    environment = Environment.Kind.SANDBOX
    credential_id = factory.Sequence(lambda n: f"key_test{n}")
    method = "GET"
    path = "/v1/events"
    status = 200
    latency_ms = 12
    request_id = factory.Sequence(lambda n: f"req_test{n}")
    created_at = factory.LazyFunction(lambda: timezone.now() - timedelta(seconds=1))

    @classmethod
    def _get_manager(cls, model_class: type[RequestLog]) -> object:
        # Not ``using("default")`` as factory_boy would: the router sends request logs to ``aux``.
        return model_class._default_manager
