"""Factories for ``apps.risk``' models, made the way the platform makes them: a list version by
``sanctions_list_load`` (active at once), its entries with it, a screening hit by screening a holder, and an
alert (with the case it opens) by ``alert_raise``; notes, proposals and reports by the staff's services."""

from datetime import date

import factory

from apps.risk.models import (
    Alert,
    Case,
    CaseNote,
    CaseProposal,
    SanctionsEntry,
    SanctionsList,
    ScreeningHit,
    SuspiciousActivityReport,
)
from apps.risk.parsers import ParsedEntry, ParsedList
from apps.risk.services import alert_raise, holder_screen, sanctions_list_load
from tests.core.factories import UserFactory
from tests.wallets.factories import WalletHolderFactory, make_wallet


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


class CaseNoteFactory(factory.django.DjangoModelFactory):
    """A staff note on a fresh case, written by ``case_note_add``."""

    class Meta:
        model = CaseNote

    case = factory.SubFactory(CaseFactory)
    staff = factory.SubFactory(UserFactory, is_staff=True)
    body = "Called the partner"

    @classmethod
    def _create(cls, model_class: type[CaseNote], **kwargs):
        from apps.compliance.services import case_note_add

        return case_note_add(**kwargs)


class CaseProposalFactory(factory.django.DjangoModelFactory):
    """A pending proposal to freeze a wallet of a fresh case's holder, made by ``proposal_create``."""

    class Meta:
        model = CaseProposal

    staff = factory.SubFactory(UserFactory, is_staff=True)
    reason = "Funds at risk"

    @classmethod
    def _create(cls, model_class: type[CaseProposal], *, staff, reason: str, **_):
        from apps.compliance.services import proposal_create

        wallet = make_wallet(holder=WalletHolderFactory(), balance=100)
        case = AlertFactory(holder=wallet.holder).case
        return proposal_create(case=case, staff=staff, action="freeze_wallet", wallet=wallet.public_id, reason=reason)


class SuspiciousActivityReportFactory(factory.django.DjangoModelFactory):
    """A report filed on a fresh case by ``case_report_file``."""

    class Meta:
        model = SuspiciousActivityReport

    case = factory.SubFactory(CaseFactory)
    staff = factory.SubFactory(UserFactory, is_staff=True)
    narrative = "Payments just under the threshold, nine days running"

    @classmethod
    def _create(cls, model_class: type[SuspiciousActivityReport], **kwargs):
        from apps.compliance.services import case_report_file

        return case_report_file(**kwargs)
