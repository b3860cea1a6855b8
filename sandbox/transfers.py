"""``POST /v1/sandbox/transfers/{id}/settle`` and ``/fail``: the sandbox decides what the bank rail answers for a
top-up or payout still on its way (``pending`` or ``processing``), and the steps run now instead of after the
settlement delay. The transfer moves through the transfers services (``transfer_advance``) like any other:
``transfer.succeeded`` or ``transfer.failed`` follows, a failed one's money is released."""

from django.db import transaction

from apps.core import clock
from apps.core.errors import InvalidStateTransition
from apps.core.idempotency import IdempotencyHandle
from apps.core.principal import Principal
from apps.transfers.lifecycle import transfer_advance
from apps.transfers.models import Transfer
from apps.transfers.rail import RailResult, rail_answer_forced
from apps.transfers.selectors import transfer_get

# The failure codes ``/fail`` accepts, with the message the transfer carries.
FAILURE_CODES = {
    "bank_account_closed": "The receiving bank account is closed.",
    "funding_source_declined": "The funding source declined the payment.",
    "insufficient_funds_at_bank": "The bank account did not hold enough money.",
    "bank_rejected": "The bank rejected the payment.",
}
ON_THE_RAIL = (Transfer.Status.PENDING, Transfer.Status.PROCESSING)


def transfer_force(
    *,
    principal: Principal,
    transfer_id: str,
    failure_code: str | None = None,
    idempotency: IdempotencyHandle | None = None,
) -> Transfer:
    """Settle (``failure_code`` None) or fail a top-up or payout of the principal's sandbox now. Raises
    ``NotFound`` and ``InvalidStateTransition`` (409: not a top-up or payout, held for review, or finished).

    ``idempotency`` (the API's claim on its ``Idempotency-Key``) is completed right after the rail's last step:
    each step is a durable transaction of the transfers services, so the record cannot share one. Should the
    process die in between, the key's lease runs out and a retry finds the transfer finished (409
    ``invalid_state_transition``): it is never settled or failed twice."""
    transfer = transfer_get(principal=principal, transfer_id=transfer_id)
    if transfer.type not in (Transfer.Type.TOP_UP, Transfer.Type.PAYOUT):
        raise InvalidStateTransition(
            f"Transfer {transfer.public_id} is a {transfer.type}: only top-ups and payouts go through the rail."
        )
    if transfer.status not in ON_THE_RAIL:
        raise InvalidStateTransition(
            f"Transfer {transfer.public_id} is {transfer.status}: only a pending or processing one settles or fails."
        )
    answer = RailResult(True)
    if failure_code is not None:
        answer = RailResult(False, failure_code, FAILURE_CODES[failure_code])
    with rail_answer_forced(answer):
        # Two steps at most: pending -> processing (submitted), then the rail's answer. Each is made due now.
        for _ in range(2):
            with transaction.atomic():
                due = Transfer.objects.filter(pk=transfer.pk, status__in=ON_THE_RAIL).update(
                    next_action_at=clock.now(environment=principal.environment)
                )
            if not due:
                break
            transfer_advance(transfer_pk=transfer.pk)
    forced = transfer_get(principal=principal, transfer_id=transfer_id)
    if idempotency is not None:
        with transaction.atomic():
            idempotency.complete(forced)
    return forced
