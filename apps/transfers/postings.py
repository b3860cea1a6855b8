"""What a transfer posts and locks: the ledger lines of each type and of its reversals, the system accounts
(resolved before any lock), and the locks in the ledger's order: wallets in primary-key order, then the
transfer row.
"""

from apps.core.errors import NotFound
from apps.core.principal import Principal
from apps.partners.models import Environment, Partner
from apps.transfers.models import Transfer
from apps.transfers.states import T
from apps.wallets.ledger import (
    CLEARING_BANK,
    FEES,
    FX,
    Line,
    TransactionSpec,
    journal_build,
    system_account,
)
from apps.wallets.models import LedgerAccount, Transaction, Wallet
from apps.wallets.services import (
    hold_release_inner,
    pending_credit_cancel_inner,
)
from apps.wallets.store import Posting, lock_visible_wallets, lock_wallets


def field_error(field_name: str, code: str, message: str) -> list[dict[str, str]]:
    """The ``errors`` of a problem that names one request field."""
    return [{"field": field_name, "code": code, "message": message}]


def book_partner(transfer: Transfer) -> Partner | None:
    """Whose system accounts a posting uses: the partner's own in sandbox, the bank's (no partner) in live."""
    return transfer.partner if transfer.environment.kind == Environment.Kind.SANDBOX else None


def system_for(code: str, currency: str, transfer: Transfer) -> LedgerAccount:
    return system_account(
        code=code, currency=currency, environment=transfer.environment.kind, partner=book_partner(transfer)
    )


def lock_named_wallets(principal: Principal, named: dict[str, str]) -> dict[str, Wallet]:
    """Lock the wallets ``named`` (field -> public id) that ``principal`` may move money on, in primary-key order,
    in one query; return them by field. A wallet it cannot see is a 404 naming the field."""
    return by_field(lock_visible_wallets(principal, named.values()), named)


def by_field(wallets: dict[str, Wallet], named: dict[str, str]) -> dict[str, Wallet]:
    """``wallets`` (by public id) by the field that ``named`` them; one missing is a 404 naming the field."""
    result = {}
    for field_name, public_id in named.items():
        wallet = wallets.get(public_id)
        if wallet is None:
            raise NotFound(
                f"No such wallet: {public_id!r}.",
                errors=field_error(field_name, "resource_missing", "No such wallet."),
            )
        result[field_name] = wallet
    return result


def by_pk(*wallets: Wallet) -> dict[int, Wallet]:
    return {wallet.pk: wallet for wallet in wallets}


def wallet_ids(transfer: Transfer) -> list[int]:
    return [pk for pk in (transfer.source_wallet_id, transfer.destination_wallet_id) if pk is not None]


def lock_transfer(unlocked: Transfer) -> tuple[Transfer, dict[int, Wallet]]:
    """Lock a transfer's wallets (primary-key order; a transfer's wallets never change, so the copy read before
    the lock names them), then the transfer row, and return both re-read."""
    wallets = lock_wallets(wallet_ids(unlocked))
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related(
            "environment__partner", "partner", "funding_source", "fx_quote", "hold", "pending_transaction", "mandate"
        )
        .get(pk=unlocked.pk)
    )
    transfer.source_wallet = wallets.get(transfer.source_wallet_id) if transfer.source_wallet_id else None
    transfer.destination_wallet = (
        wallets.get(transfer.destination_wallet_id) if transfer.destination_wallet_id else None
    )
    return transfer, wallets


def system_accounts_for(transfer: Transfer) -> dict[tuple[str, str], LedgerAccount]:
    """Every system account a step of ``transfer`` may post to, resolved before any lock is taken."""
    if transfer.type == T.FX:
        pairs = [(code, c) for code in (FEES, FX) for c in (transfer.currency, transfer.destination_currency)]
    elif transfer.type in (T.TOP_UP, T.PAYOUT):
        pairs = [(CLEARING_BANK, transfer.currency)]
    else:
        pairs = []
    return {pair: system_for(pair[0], pair[1], transfer) for pair in pairs}


def transfer_spec(*, type: str, description: str, counterparty: str) -> TransactionSpec:
    return TransactionSpec(type=type, category="transfer", description=description, counterparty=counterparty)


def p2p_lines(transfer: Transfer, *, description: str) -> list[Line]:
    source, destination = transfer.source_wallet, transfer.destination_wallet
    assert source is not None and destination is not None
    return [
        Line(
            source.account,
            -transfer.amount,
            transfer_spec(
                type=Transaction.Type.TRANSFER,
                description=description or f"Transfer to {destination.holder.name}",
                counterparty=destination.holder.name,
            ),
        ),
        Line(
            destination.account,
            transfer.amount,
            transfer_spec(
                type=Transaction.Type.TRANSFER,
                description=description or f"Transfer from {source.holder.name}",
                counterparty=source.holder.name,
            ),
        ),
    ]


def fx_lines(
    transfer: Transfer,
    *,
    accounts: dict[tuple[str, str], LedgerAccount],
    amount: int,
    destination_amount: int,
    fee: int,
) -> list[Line]:
    """The FX journal for ``amount`` of the source currency (``fee`` of it to fees, the rest to the FX desk) and
    ``destination_amount`` from the FX desk to the destination; signs flip for a reversal (negative amounts)."""
    source, destination = transfer.source_wallet, transfer.destination_wallet
    assert source is not None and destination is not None
    src, dst = transfer.currency, transfer.destination_currency
    description = transfer.description or f"Exchange {src} to {dst}"
    kind = Transaction.Type.FX if amount > 0 else Transaction.Type.REFUND
    spec = TransactionSpec(type=kind, category="transfer", description=description)
    lines = [
        Line(source.account, -amount, spec),
        Line(accounts[(FX, src)], amount - fee),
        Line(accounts[(FX, dst)], -destination_amount),
        Line(destination.account, destination_amount, spec),
    ]
    if fee:
        lines.append(Line(accounts[(FEES, src)], fee))
    return [line for line in lines if line.amount != 0]


def p2p_posting(transfer: Transfer, *, locked: dict[int, Wallet]) -> Posting:
    """A p2p transfer's journal (its wallets locked by the caller), built for the caller to write."""
    source, destination = transfer.source_wallet, transfer.destination_wallet
    assert source is not None and destination is not None
    posting = journal_build(
        kind="transfer",
        lines=p2p_lines(transfer, description=transfer.description),
        environment=transfer.environment.kind,
        partner=book_partner(transfer),
        description=transfer.description or f"Transfer {source.public_id} -> {destination.public_id}",
        locked=locked,
        partner_environment=transfer.environment,
    )
    transfer.journal = posting.journal
    return posting


def fx_posting(
    transfer: Transfer, *, accounts: dict[tuple[str, str], LedgerAccount], locked: dict[int, Wallet]
) -> Posting:
    """An FX transfer's journal (its wallets locked by the caller), built for the caller to write."""
    assert transfer.destination_amount is not None
    posting = journal_build(
        kind="fx",
        lines=fx_lines(
            transfer,
            accounts=accounts,
            amount=transfer.amount,
            destination_amount=transfer.destination_amount,
            fee=transfer.fee_amount,
        ),
        environment=transfer.environment.kind,
        partner=book_partner(transfer),
        description=transfer.description or f"FX {transfer.currency} -> {transfer.destination_currency}",
        locked=locked,
        partner_environment=transfer.environment,
    )
    transfer.journal = posting.journal
    return posting


def reversal_lines(
    transfer: Transfer, *, amount: int, accounts: dict[tuple[str, str], LedgerAccount], description: str
) -> list[Line]:
    refund = TransactionSpec(type=Transaction.Type.REFUND, category="refund", description=description)
    source, destination = transfer.source_wallet, transfer.destination_wallet
    if transfer.type == T.P2P:
        assert source is not None and destination is not None
        return [Line(destination.account, -amount, refund), Line(source.account, amount, refund)]
    if transfer.type == T.TOP_UP:
        assert destination is not None
        return [Line(destination.account, -amount, refund), Line(accounts[(CLEARING_BANK, transfer.currency)], amount)]
    if transfer.type == T.PAYOUT:
        assert source is not None
        return [Line(accounts[(CLEARING_BANK, transfer.currency)], -amount), Line(source.account, amount, refund)]
    # FX: the reversed share of the destination amount and of the fee, cut so that the shares of all the partial
    # reversals add up exactly to the whole.
    assert transfer.destination_amount is not None

    def share(total: int, upto: int) -> int:
        return total * upto // transfer.amount

    before, after = transfer.amount_reversed, transfer.amount_reversed + amount
    destination_share = share(transfer.destination_amount, after) - share(transfer.destination_amount, before)
    fee_share = share(transfer.fee_amount, after) - share(transfer.fee_amount, before)
    lines = fx_lines(transfer, accounts=accounts, amount=amount, destination_amount=destination_share, fee=fee_share)
    # The wallet sides are refunds, as for every other type (not a second exchange).
    return [Line(line.account, -line.amount, refund if line.transaction else None) for line in lines]


def release_money(transfer: Transfer) -> None:
    """Undo what a pending or held transfer set aside: its hold goes back to available, a top-up's pending
    credit is dropped."""
    if transfer.hold is not None:
        hold_release_inner(hold=transfer.hold)
    if transfer.pending_transaction is not None:
        pending_credit_cancel_inner(txn=transfer.pending_transaction)
