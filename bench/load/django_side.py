"""The Django side of `make load` / `make faults`: `seed` and `audit`, run in subprocesses against the run's own
PostgreSQL (DATABASE_URL), so the process that drives the load never imports Django.

seed: ``--partners`` partners, each with a sandbox key, a webhook endpoint for every event at ``--receiver`` and
``--wallets`` funded USD wallets of KYC-full holders (limits raised far above the load, so they are checked on
every transfer but never refuse one). Prints the JSON the load needs.

audit: after the load, checks that money is conserved (every seeded wallet's balance is its funding plus what
the committed transfers moved, per-currency totals unchanged, ``reconcile()`` clean), that no transfer was
created twice (at most one transfer per client idempotency key, and every 201 a client saw is in the book with
the id it was given), and that every committed event was delivered (each delivery row delivered, each event id
received by the receiver). Prints one JSON object.
"""

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from transfers import RAISED_LIMITS  # noqa: E402 (bench/transfers.py: limits checked on every transfer, never refusing)

FUNDING = 100_000_000


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()


def seed(args: argparse.Namespace) -> dict:
    _django()
    from datetime import timedelta

    from django.db import transaction

    from apps.core import clock
    from apps.partners.services import api_key_create, partner_create
    from apps.transfers.models import LimitRule
    from apps.wallets.bulk import history_import
    from apps.wallets.ledger import CLEARING_BANK
    from apps.wallets.models import WalletHolder
    from apps.wallets.services import holder_create, wallet_open_inner
    from apps.wallets.validators import HistoryItem
    from apps.webhooks.services import endpoint_create

    LimitRule.objects.update_or_create(kyc_tier=WalletHolder.KycTier.FULL, currency="USD", defaults=RAISED_LIMITS)
    partners = []
    for p in range(args.partners):
        partner = partner_create(name=f"Load partner {p}")
        sandbox = partner.environments.get(kind="sandbox")
        key = api_key_create(environment=sandbox, name="load").secret
        endpoint_create(partner=partner, environment=sandbox, url=args.receiver, enabled_events=["*"])
        with transaction.atomic():
            wallets = [
                wallet_open_inner(
                    holder=holder_create(
                        environment="sandbox",
                        partner=partner,
                        name=f"Load Holder {p}-{n}",
                        email=f"load{p}-{n}@example.com",
                        kyc_tier=WalletHolder.KycTier.FULL,
                    ),
                    currency="USD",
                )
                for n in range(args.wallets)
            ]
        history_import(
            items=[
                HistoryItem(
                    wallet=wallet,
                    booked_at=clock.now(environment=sandbox) - timedelta(minutes=1),
                    amount=FUNDING,
                    type="deposit",
                    category="income",
                    rail=CLEARING_BANK,
                    description="Load funding",
                )
                for wallet in wallets
            ]
        )
        partners.append({"id": partner.public_id, "key": key, "wallets": [w.public_id for w in wallets]})
    return {"funding": FUNDING, "partners": partners}


def audit(args: argparse.Namespace) -> dict:
    _django()
    from django.db.models import Sum

    from apps.events.models import Event
    from apps.transfers.models import Transfer
    from apps.wallets.models import Wallet
    from apps.wallets.reconciliation import reconcile
    from apps.webhooks.models import WebhookDelivery

    seeded = json.loads(Path(args.seed).read_text())
    partner_ids = [p["id"] for p in seeded["partners"]]
    wallet_ids = [w for p in seeded["partners"] for w in p["wallets"]]
    funding = seeded["funding"]

    # Money: each wallet is its funding plus what the committed transfers moved; the total never changes.
    transfers = Transfer.objects.filter(partner__public_id__in=partner_ids)
    succeeded = transfers.filter(status=Transfer.Status.SUCCEEDED)
    moved: Counter[str] = Counter()
    for source, destination, amount in succeeded.values_list(
        "source_wallet__public_id", "destination_wallet__public_id", "amount"
    ):
        moved[source] -= amount
        moved[destination] += amount
    balances = dict(Wallet.objects.filter(public_id__in=wallet_ids).values_list("public_id", "ledger_balance"))
    wrong_wallets = [w for w in wallet_ids if balances[w] != funding + moved[w]]
    total = Wallet.objects.filter(public_id__in=wallet_ids).aggregate(total=Sum("ledger_balance"))["total"]
    report = reconcile()

    # Transfers: one per client key at most; every acknowledged one is in the book under the id the client saw.
    per_key = Counter(transfers.values_list("metadata__load_key", flat=True))
    duplicates = {key: n for key, n in per_key.items() if n > 1}
    by_key = dict(transfers.values_list("metadata__load_key", "public_id"))
    outcomes = [json.loads(line) for line in Path(args.outcomes).read_text().splitlines() if line.strip()]
    acknowledged = [o for o in outcomes if o.get("transfer")]
    lost = [o["key"] for o in acknowledged if by_key.get(o["key"]) != o["transfer"]]
    seen_ids = {o.get("transfer") for o in acknowledged}
    committed_unacknowledged = sum(1 for key, public_id in by_key.items() if public_id not in seen_ids)

    # Events: every committed event of the load partners was delivered and received.
    events = set(Event.objects.filter(partner__public_id__in=partner_ids).values_list("public_id", flat=True))
    deliveries = Counter(
        WebhookDelivery.objects.filter(event__partner__public_id__in=partner_ids).values_list("status", flat=True)
    )
    received_lines = Path(args.received).read_text().split() if Path(args.received).exists() else []
    received = set(received_lines)
    not_received = events - received
    return {
        "money": {
            "wallets": len(wallet_ids),
            "total_before": funding * len(wallet_ids),
            "total_after": total,
            "wallets_off": len(wrong_wallets),
            "reconcile_ok": report.ok,
            "reconcile_mismatches": len(report.mismatches),
            "pass": total == funding * len(wallet_ids) and not wrong_wallets and report.ok,
        },
        "transfers": {
            "in_book": transfers.count(),
            "succeeded": succeeded.count(),
            "by_status": dict(Counter(transfers.values_list("status", flat=True))),
            "client_keys": len(outcomes),
            "acknowledged_201": len(acknowledged),
            "acknowledged_missing_or_other_id": len(lost),
            "committed_without_a_201_seen": committed_unacknowledged,
            "keys_with_two_or_more_transfers": len(duplicates),
            "pass": not duplicates and not lost,
        },
        "events": {
            "committed": len(events),
            "deliveries_by_status": dict(deliveries),
            "received_distinct": len(received),
            "received_posts": len(received_lines),
            "not_received": len(not_received),
            "pass": not not_received and set(deliveries) <= {"delivered"},
        },
    }


def pending_deliveries(args: argparse.Namespace) -> dict:
    _django()
    from apps.webhooks.models import WebhookDelivery

    return {"pending": WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).count()}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="phase", required=True)
    seed_parser = sub.add_parser("seed")
    seed_parser.add_argument("--partners", type=int, default=3)
    seed_parser.add_argument("--wallets", type=int, default=40)
    seed_parser.add_argument("--receiver", required=True)
    audit_parser = sub.add_parser("audit")
    audit_parser.add_argument("--seed", required=True)
    audit_parser.add_argument("--outcomes", required=True)
    audit_parser.add_argument("--received", required=True)
    sub.add_parser("pending")
    args = parser.parse_args()
    phase = {"seed": seed, "audit": audit, "pending": pending_deliveries}[args.phase]
    print(json.dumps(phase(args)))


if __name__ == "__main__":
    main()
