"""The checks a new transfer passes before it is written, in order: the holder's limits, sanctions screening,
the review rules, then the risk score. Reads only (the counterparty record is written with the transfer); the
create service calls ``screen`` under the wallet locks."""

from apps.risk.models import ScreeningHit
from apps.risk.selectors import Party, parties_screen
from apps.transfers.limits import REVIEW_COMPLIANCE, limits_usage_check, review_reason
from apps.transfers.scoring import counterparty_probe, risk_assess
from apps.transfers.states import Change
from apps.wallets.models import WalletHolder


def screen(
    change: Change, *, holder: WalletHolder, counterparty: WalletHolder | None, counterparty_name: str = ""
) -> str:
    """Limits (raise ``LimitExceeded``), sanctions screening and review rules (return the reason to hold for,
    or ""). Screening asks apps.risk's in-process matcher about the paying (or, for a top-up, receiving)
    holder's name and the counterparty's: the other holder's name (p2p) or the bank account's holder name
    (``counterparty_name``); no database read beyond, every few seconds, which list versions are active. A hit
    holds the transfer as ``compliance_hold`` (the hit is recorded with it, for staff only). The risk score
    (``apps.transfers.scoring``) is set on every transfer and holds one as ``review`` when nothing else does."""
    transfer = change.transfer
    checked = limits_usage_check(
        holder=holder,
        currency=transfer.currency,
        amount=transfer.amount,
        now=change.now,
        probe=counterparty_probe(transfer),
    )
    parties = [Party(name=holder.name, subject=ScreeningHit.Subject.HOLDER, holder=holder)]
    if counterparty is not None and counterparty.pk != holder.pk:
        parties.append(Party(name=counterparty.name, subject=ScreeningHit.Subject.COUNTERPARTY, holder=counterparty))
    if counterparty_name:
        parties.append(Party(name=counterparty_name, subject=ScreeningHit.Subject.COUNTERPARTY))
    change.screening = parties_screen(environment_kind=transfer.environment.kind, parties=parties)
    if change.screening:
        reason = REVIEW_COMPLIANCE
    else:
        # Without a rule (no limits for this tier and currency) there are no amount-based reviews.
        reason = review_reason(
            transfer_type=transfer.type,
            holder=holder,
            counterparty_holder=counterparty,
            amount=transfer.amount,
            currency=transfer.currency,
            rule=checked.rule,
        )
    # Every transfer is scored, held or not; a high score holds one nothing else holds.
    return risk_assess(change, holder=holder, checked=checked, reason=reason)
