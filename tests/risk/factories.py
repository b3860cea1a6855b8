"""Factories for ``apps.risk``' models, made the way the platform makes them: a list version by
``sanctions_list_load`` (active at once), its entries with it, a screening hit by screening a holder, and an
alert (with the case it opens) by ``alert_raise``."""

from datetime import date

import factory

from apps.risk.models import Alert, Case, SanctionsEntry, SanctionsList, ScreeningHit
from apps.risk.parsers import ParsedEntry, ParsedList
from apps.risk.services import alert_raise, holder_screen, sanctions_list_load
from tests.wallets.factories import WalletHolderFactory


class SanctionsListFactory(factory.django.DjangoModelFactory):
    """An active list version of ``source`` with ``names`` as its entries (one each, ids 1, 2, ...)."""

    class Meta:
        model = SanctionsList

    source = SanctionsList.Source.OFAC_SDN
    list_date = date(2026, 12, 1)

    @classmethod
    def _create(cls, model_class: type[SanctionsList], *, source: str, list_date: date, names=("Listed Person",), **_):
        entries = tuple(
            ParsedEntry(uid=str(number), kind="individual", names=(name,), dates_of_birth=(), programs="TEST")
            for number, name in enumerate(names, start=1)
        )
        parsed = ParsedList(source=source, list_date=list_date, entries=entries, digest="0" * 64)
        return sanctions_list_load(parsed=parsed, file_name="factory", allow_shrink=True)


class SanctionsEntryFactory(factory.django.DjangoModelFactory):
    """The entry of a new one-entry list version named ``name``."""

    class Meta:
        model = SanctionsEntry

    @classmethod
    def _create(cls, model_class: type[SanctionsEntry], *, name: str = "Listed Person", **_):
        return SanctionsListFactory(names=(name,)).entries.get()


class ScreeningHitFactory(factory.django.DjangoModelFactory):
    """The hit of a live holder named as a listed entry: the holder is frozen by it."""

    class Meta:
        model = ScreeningHit

    @classmethod
    def _create(cls, model_class: type[ScreeningHit], *, name: str = "Listed Person", **_):
        SanctionsListFactory(names=(name,))
        holder = WalletHolderFactory(live=True, name=name)  # screened at creation
        hit = ScreeningHit.objects.filter(holder=holder).first()
        return hit if hit is not None else holder_screen(holder)


class AlertFactory(factory.django.DjangoModelFactory):
    """An alert raised by ``alert_raise`` about ``holder`` (a fresh sandbox holder by default), on their open case."""

    class Meta:
        model = Alert

    holder = factory.SubFactory(WalletHolderFactory)
    kind = Alert.Kind.RISK_REVIEW
    summary = "Scored high at transfer"
    evidence = factory.LazyFunction(lambda: {"reasons": ["new_counterparty"]})
    dedupe_key = factory.Sequence(lambda n: f"factory:{n}")

    @classmethod
    def _create(cls, model_class: type[Alert], **kwargs):
        return alert_raise(**kwargs)


class CaseFactory(factory.django.DjangoModelFactory):
    """The open case an ``AlertFactory`` alert opened (pass ``holder`` or alert fields through ``alert__``)."""

    class Meta:
        model = Case

    @classmethod
    def _create(cls, model_class: type[Case], **kwargs):
        return AlertFactory(**{key.removeprefix("alert__"): value for key, value in kwargs.items()}).case
