"""A new transfer's risk score (docs/risk.md, "Risk score"): the inputs of ``apps.risk.scoring`` gathered under
the transfer's locks in bounded time, the score kept on the transfer, and the hold it may cause.

What it reads, whatever the holder's history: the usage buckets the limits already read (``Checked``: no further
query), the holder row the wallet lock already loaded (``created_at``, ``kyc_changed_at``), the funding source
the service already loaded, and one indexed row of ``apps.risk.counterparties``, read inside the limits' query
(``counterparty_probe``), so scoring adds no statement. What it writes goes with the transfer: the
counterparty's upsert is one more change of the transfer's one write.
"""

from django.conf import settings

from apps.partners.models import Environment
from apps.risk import scoring
from apps.risk.alerts import alert_raise
from apps.risk.counterparties import counterparty_increment, counterparty_seen, counterparty_seen_query
from apps.transfers.limits import REVIEW_RISK, Checked
from apps.transfers.models import Transfer
from apps.transfers.states import Change, T
from apps.transfers.usage import Probe
from apps.wallets.bank_registry import COUNTRY_CURRENCY
from apps.wallets.models import FundingSource, WalletHolder

# In the sandbox a transfer of exactly this amount (minor units, any currency) scores ``sandbox_test`` and so is
# held for review with the default threshold (docs/sandbox.md, "Test triggers for transfers").
SANDBOX_REVIEW_AMOUNT = 7777


def counterparty_of(transfer: Transfer) -> str | None:
    """Who the holder deals with, by public id: the other holder of a p2p transfer, the bank account or card of a
    top-up or payout; None for an FX transfer (between the holder's own wallets)."""
    if transfer.type == T.P2P:
        destination = transfer.destination_wallet
        assert destination is not None
        return destination.holder.public_id if destination.holder_id != transfer.holder_id else None
    if transfer.type in (T.TOP_UP, T.PAYOUT) and transfer.funding_source is not None:
        return transfer.funding_source.public_id
    return None


def is_cross_border(transfer: Transfer) -> bool:
    """The bank account of a top-up or payout is in a country whose money is not the transfer's currency (a
    wallet's country is taken from its currency: holders have no country of residence on record)."""
    source = transfer.funding_source
    if source is None or source.kind != FundingSource.Kind.BANK_ACCOUNT or not source.bank_country:
        return False
    return COUNTRY_CURRENCY.get(source.bank_country) != transfer.currency


def counterparty_probe(transfer: Transfer) -> Probe | None:
    """The read of whether the holder has dealt with the transfer's counterparty, for the limits to send in their
    buckets' statement (None: no counterparty)."""
    counterparty = counterparty_of(transfer)
    if counterparty is None:
        return None
    sql, params = counterparty_seen_query(holder_id=transfer.holder_id, counterparty=counterparty)
    return Probe(sql, tuple(params))


def risk_assess(change: Change, *, holder: WalletHolder, checked: Checked, reason: str) -> str:
    """Score ``change``'s transfer (its ``risk_*`` fields set) and record its counterparty with it; return the
    review reason to hold it for: ``reason`` (a hold already decided, which wins) or, without one, ``review`` when
    the score is at least ``RISK_REVIEW_SCORE``. Whether the counterparty is new came with the limits' query
    (``counterparty_probe``); without limits (no rule, so no such query) it is one indexed read."""
    transfer = change.transfer
    counterparty = counterparty_of(transfer)
    seen = None
    if counterparty is not None:
        if checked.probed:
            seen = checked.probe_value is not None
        else:
            seen = counterparty_seen(holder_id=holder.pk, counterparty=counterparty)
        change.updates.append(counterparty_increment(holder_id=holder.pk, counterparty=counterparty, at=change.now))
    rule = checked.rule
    risk = scoring.score(
        scoring.RiskInputs(
            amount=transfer.amount,
            now=change.now,
            holder_created_at=holder.created_at,
            month_amount=checked.month_amount,
            month_count=checked.month_count,
            recent_count=checked.recent_count,
            velocity_max=rule.velocity_max_count if rule is not None else None,
            counterparty_seen=seen,
            cross_border=is_cross_border(transfer),
            kyc_changed_at=holder.kyc_changed_at,
            sandbox_test=(
                transfer.environment.kind == Environment.Kind.SANDBOX and transfer.amount == SANDBOX_REVIEW_AMOUNT
            ),
        )
    )
    transfer.risk_score, transfer.risk_level, transfer.risk_reasons = risk.score, risk.level, list(risk.reasons)
    if not reason and risk.score >= settings.RISK_REVIEW_SCORE:
        return REVIEW_RISK
    return reason


def risk_review_raise(transfer: Transfer) -> None:
    """Raise a ``risk_review`` alert on the case of the holder of ``transfer`` (just written, held for
    ``review``), with the transfer and its reasons as evidence; staff release or reject it from the case or the
    admin. Once per transfer (its dedupe key). Inside the transfer's transaction; only held transfers pay for it."""
    assert transfer.holder is not None
    reasons = list(transfer.risk_reasons)
    alert_raise(
        holder=transfer.holder,
        kind="risk_review",
        summary=f"Transfer {transfer.public_id} held for review: score {transfer.risk_score} ({', '.join(reasons)})",
        evidence={"transfers": [transfer.public_id], "reasons": reasons},
        dedupe_key=f"risk_review:{transfer.public_id}",
    )
