import factory
from django.contrib.auth import get_user_model

from apps.partners.models import Environment, Membership, Partner


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"member{n}@example.test")
    email = factory.SelfAttribute("username")
    password = factory.django.Password("correct-horse-battery")


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


class LiveEnvironmentFactory(factory.django.DjangoModelFactory):
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
