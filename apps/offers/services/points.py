"""Points: a partner publishes its own programme and rate (``PUT /v1/points/programme``), and a holder's points
(``XPT``) are redeemed into it (``POST /v1/points/redemptions``): a journal from the holder's points wallet to the
environment's ``points_redemption`` system account, at the programme's rate, with ``points.redeemed``."""

from decimal import Decimal

from django.db import transaction

from apps.core.errors import NotFound, error_type
from apps.core.idempotency import IdempotencyHandle
from apps.core.principal import Principal
from apps.events.services import record
from apps.offers.models import PointsProgramme, PointsRedemption
from apps.offers.snapshots import points_redemption_snapshot
from apps.wallets import currencies
from apps.wallets.ledger import POINTS_REDEMPTION, Line, TransactionSpec, journal_post, system_account, wallet_account
from apps.wallets.models import Transaction, Wallet
from apps.wallets.selectors import holder_get
from apps.wallets.store import lock_wallets

ProgrammeMissing = error_type(
    "ProgrammeMissing",
    "points_programme_missing",
    409,
    "No points programme",
    "Publish your points programme and rate first: PUT /v1/points/programme.",
)
NoPointsWallet = error_type(
    "NoPointsWallet",
    "points_wallet_missing",
    422,
    "No points",
    "The holder has no points wallet yet: points arrive with the first points reward.",
)


@transaction.atomic
def programme_set(*, principal: Principal, name: str, rate: Decimal) -> PointsProgramme:
    """Publish (or change) the environment's points programme: ``rate`` programme units per point (positive; the
    serializer checks). Later redemptions use the new rate; earlier ones keep theirs."""
    programme, _ = PointsProgramme.objects.select_for_update().update_or_create(
        environment=principal.environment,
        defaults={"partner": principal.partner, "name": name, "rate": format(rate.normalize(), "f")},
    )
    return programme


def programme_get(*, principal: Principal) -> PointsProgramme:
    """The environment's published programme. Raises ``NotFound`` (404 ``resource_missing``) before it is
    published: reading it is a read of an object that is not there yet."""
    programme = PointsProgramme.objects.filter(environment=principal.environment).first()
    if programme is None:
        raise NotFound("No points programme is published yet: PUT /v1/points/programme publishes it.")
    return programme


@transaction.atomic(durable=True)
def points_redeem(
    *, principal: Principal, holder_id: str, points: int, reference: str, idempotency: IdempotencyHandle | None = None
) -> PointsRedemption:
    """Move ``points`` (positive) from the holder's points wallet into the partner's programme at its rate, with
    ``points.redeemed`` and the idempotency record, in one transaction. Raises ``NotFound`` (holder),
    ``ProgrammeMissing``, ``NoPointsWallet``, ``InsufficientFunds`` (more points than held) and ``WalletFrozen``;
    nothing is written on any of them."""
    holder = holder_get(principal=principal, holder_id=holder_id)
    programme = PointsProgramme.objects.filter(environment=principal.environment).first()
    if programme is None:  # a redemption needs the partner to have published its programme first: a 409
        raise ProgrammeMissing()
    # The holder's points wallet, shared or not: granting ``points:write`` is consent to redeem the holder's points,
    # and the points wallet usually opens after the consent (on the first points reward), so it is rarely among
    # the wallets the holder picked. ``holder_get`` has already applied the credential's visibility to the holder.
    wallet = (
        Wallet.objects.filter(holder=holder, currency=currencies.POINTS).exclude(status=Wallet.Status.CLOSED).first()
    )
    if wallet is None:
        raise NoPointsWallet()
    environment = principal.environment
    # System account before the wallet's lock (docs/ledger.md, "Lock order").
    target = system_account(
        code=POINTS_REDEMPTION, currency=currencies.POINTS, environment=environment.kind, partner=principal.partner
    )
    locked = lock_wallets([wallet.pk])[wallet.pk]
    spec = TransactionSpec(
        type=Transaction.Type.POINTS,
        category="points",
        description=f"Points redeemed into {programme.name}" + (f" (ref {reference})" if reference else ""),
    )
    posting = journal_post(
        kind="points_redemption",
        lines=[Line(wallet_account(locked), -points, spec), Line(target, points)],
        environment=environment.kind,
        partner=principal.partner,
        description=f"{points} points into {programme.name}",
        locked={locked.pk: locked},
        partner_environment=environment,
    )
    rate = Decimal(programme.rate)
    redemption = PointsRedemption.objects.create(
        partner=principal.partner,
        environment=environment,
        holder=holder,
        wallet=locked,
        transaction=posting.transactions[0],
        points=points,
        programme=programme.name,
        rate=programme.rate,
        value=format((rate * points).normalize(), "f"),
        reference=reference,
    )
    record(
        type="points.redeemed",
        partner=principal.partner,
        environment=environment,
        obj=redemption,
        data=points_redemption_snapshot(redemption),
    )
    if idempotency is not None:
        idempotency.complete(redemption)
    return redemption
