"""The partner environment's offers funding: money put into its ``offers_funding`` system account on the ledger
(in sandbox by ``POST /v1/sandbox/offer_funding``; in live by bank staff against the partner's payment,
``services.staff_funding``), counted on ``OfferFunding`` so offers' budgets never set aside more than was funded."""

from collections.abc import Callable

from django.db import IntegrityError, transaction

from apps.core.errors import error_type
from apps.core.idempotency import IdempotencyHandle
from apps.offers.models import OfferFunding
from apps.partners.models import Environment
from apps.wallets import currencies
from apps.wallets.ledger import CLEARING_BANK, OFFERS_FUNDING, POINTS_ISSUANCE, Line, journal_post, system_account
from apps.wallets.models import Journal, LedgerAccount

FundingInsufficient = error_type(
    "FundingInsufficient",
    "offer_funding_insufficient",
    422,
    "Offers funding too low",
    "The offers funding account does not cover this budget on top of the other offers' budgets.",
    doc="Fund the offers account first (sandbox: POST /v1/sandbox/offer_funding).",
)


def _nothing(row: OfferFunding) -> None:
    return None


def funding_account(*, environment: Environment, currency: str) -> LedgerAccount:
    """The environment's offers funding system account in ``currency`` (created on first use)."""
    return system_account(
        code=OFFERS_FUNDING, currency=currency, environment=environment.kind, partner=environment.partner
    )


def funding_locked(*, environment: Environment, currency: str) -> OfferFunding:
    """The environment's ``OfferFunding`` row in ``currency``, created if missing, locked. Inside a transaction."""
    row = OfferFunding.objects.select_for_update().filter(environment=environment, currency=currency).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            OfferFunding.objects.create(partner=environment.partner, environment=environment, currency=currency)
    except IntegrityError:
        pass  # a concurrent creator won; lock theirs
    return OfferFunding.objects.select_for_update().get(environment=environment, currency=currency)


@transaction.atomic(durable=True)
def offer_funding_add(
    *, environment: Environment, amount: int, currency: str, idempotency: IdempotencyHandle | None = None
) -> OfferFunding:
    """The entry point of ``offer_funding_add_inner`` (its own durable transaction)."""
    return offer_funding_add_inner(environment=environment, amount=amount, currency=currency, idempotency=idempotency)


def offer_funding_add_inner(
    *, environment: Environment, amount: int, currency: str, idempotency: IdempotencyHandle | None = None
) -> OfferFunding:
    """Fund the environment's offers in ``currency`` with ``amount`` (minor units; points for ``XPT``): a journal
    from the bank clearing account (points: from points issuance) into the offers funding account, and the
    ``funded`` counter, in one transaction, with the idempotency record (``idempotency``) when given. ``amount`` is
    positive (the serializer checks)."""
    row, _ = funding_post(environment=environment, amount=amount, currency=currency)
    if idempotency is not None:
        idempotency.complete(row)
    return row


def funding_post(
    *, environment: Environment, amount: int, currency: str, before_posting: Callable[[OfferFunding], None] = _nothing
) -> tuple[OfferFunding, Journal]:
    """The funding journal and counter (see ``offer_funding_add_inner``), returning the locked ``OfferFunding`` row
    and the journal. ``before_posting(row)`` runs under the row's lock, before anything is written (a check that
    may raise)."""
    source_code = POINTS_ISSUANCE if currency == currencies.POINTS else CLEARING_BANK
    # System accounts before any lock (docs/ledger.md, "Lock order").
    source = system_account(
        code=source_code, currency=currency, environment=environment.kind, partner=environment.partner
    )
    target = funding_account(environment=environment, currency=currency)
    row = funding_locked(environment=environment, currency=currency)
    before_posting(row)
    posting = journal_post(
        kind="offer_funding",
        lines=[Line(source, -amount), Line(target, amount)],
        environment=environment.kind,
        partner=environment.partner,
        description=f"Offers funding {amount} {currency}",
        partner_environment=environment,
    )
    row.funded += amount
    row.save(update_fields=["funded", "updated_at"])
    return row, posting.journal


def funding_allocate(*, environment: Environment, currency: str, amount: int) -> None:
    """Set ``amount`` aside for an offer's budget (negative: give it back). Raises ``FundingInsufficient`` when
    the funding does not cover it. Inside the caller's transaction; locks the funding row."""
    row = funding_locked(environment=environment, currency=currency)
    if amount > 0 and row.funded - row.allocated < amount:
        raise FundingInsufficient(
            f"{row.funded - row.allocated} {currency} of offers funding is free; the budget needs {amount}.",
            extra={"available": row.funded - row.allocated, "currency": currency},
        )
    row.allocated += amount
    row.save(update_fields=["allocated", "updated_at"])
