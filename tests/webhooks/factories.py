"""Factories for ``apps.webhooks``' models: endpoints registered by ``endpoint_create`` (the signing secret,
shown once, is ``.secret``), deliveries owed by the outbox's fan-out when an event is recorded, and the
attempts a worker writes."""

import factory
from django.utils import timezone

from apps.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from apps.webhooks.services import endpoint_create
from tests.events.factories import EventFactory
from tests.partners.factories import PartnerFactory, sandbox_of


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    """An endpoint of a fresh partner's sandbox for every event type, on a loopback URL nothing answers."""

    class Meta:
        model = WebhookEndpoint

    environment = factory.LazyFunction(lambda: sandbox_of(PartnerFactory()))
    partner = factory.SelfAttribute("environment.partner")
    url = "http://127.0.0.1:9/webhooks"
    enabled_events = factory.List(["*"])

    @classmethod
    def _create(cls, model_class: type[WebhookEndpoint], **kwargs: object) -> WebhookEndpoint:
        return endpoint_create(**kwargs)  # type: ignore[arg-type]


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    """The delivery an event recorded in ``endpoint``'s environment owes it, made by the fan-out in the event's
    transaction: pending and due at once."""

    class Meta:
        model = WebhookDelivery

    endpoint = factory.SubFactory(WebhookEndpointFactory)
    type = "thing.updated"

    @classmethod
    def _create(cls, model_class: object, *, endpoint: WebhookEndpoint, type: str) -> WebhookDelivery:
        event = EventFactory(environment=endpoint.environment, partner=endpoint.partner, type=type)
        return WebhookDelivery.objects.get(event=event, endpoint=endpoint)


class WebhookAttemptFactory(factory.django.DjangoModelFactory):
    """One successful POST of a delivery (its first), as the worker records it."""

    class Meta:
        model = WebhookAttempt

    delivery = factory.SubFactory(WebhookDeliveryFactory)
    endpoint = factory.SelfAttribute("delivery.endpoint")
    number = 1
    started_at = factory.LazyFunction(timezone.now)
    duration_ms = 40
    outcome = WebhookAttempt.Outcome.SUCCEEDED
    status_code = 200
