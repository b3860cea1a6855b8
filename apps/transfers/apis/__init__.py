"""The transfers API: ``transfers`` (create, list, retrieve, cancel, reverse) and ``fx`` (quotes), on
``apps.wallets.apis.base.HolderDataApi``; OpenAPI examples in ``examples``."""
