"""What a seeded sandbox holds, for the portal's getting-started page (registered at start-up by
``sandbox.apps``): counts, the ``user_good`` persona to try, and the first few holders with their wallets."""

from typing import Any

from apps.partners.models import Environment
from apps.wallets.currencies import format_amount
from apps.wallets.models import Transaction, Wallet, WalletHolder
from sandbox.quickstart import is_demo_partner
from sandbox.seed import persona_list

SAMPLE_HOLDERS = 5


def sandbox_summary(environment: Environment) -> dict[str, Any]:
    partner = environment.partner
    holders = WalletHolder.objects.filter(partner=partner, environment="sandbox")
    wallets = Wallet.objects.filter(holder__partner=partner, holder__environment="sandbox")
    personas = persona_list(partner=partner, demo=is_demo_partner(partner))
    sample = []
    for holder in holders.order_by("pk").prefetch_related("wallets")[:SAMPLE_HOLDERS]:
        sample.append(
            {
                "id": holder.public_id,
                "name": holder.name,
                "wallets": [
                    {
                        "id": w.public_id,
                        "currency": w.currency,
                        "balance": format_amount(w.ledger_balance, w.currency),
                    }
                    for w in sorted(holder.wallets.all(), key=lambda w: w.pk)
                ],
            }
        )
    return {
        "holders": holders.count(),
        "wallets": wallets.count(),
        "transactions": Transaction.objects.filter(wallet__in=wallets).count(),
        "persona": personas[0] if personas else None,
        "personas": personas,
        "sample": sample,
    }
