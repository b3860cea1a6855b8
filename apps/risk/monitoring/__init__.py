"""Transaction monitoring: rules run over a holder's recent ledger after each posting commits, in the worker, never
on the payment's path (docs/risk.md, "Transaction monitoring").

- ``rules``: the rules' parameters, from ``settings.RISK_MONITORING``.
- ``history``: the one read, a bounded window of the holder's ledger ending at the posting's time.
- ``detectors``: the rules, pure functions of that window.
- ``run``: runs them for a holder and raises their alerts (idempotent by each finding's dedupe key).
- ``trigger``: the hook every posting runs (``apps.wallets.store.add_posted_hook``): it enqueues the affected
  holders once the posting commits, and never raises.
"""
