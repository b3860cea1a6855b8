"""The wallets API: ``wallets`` (holders, wallets, balances, transactions) and ``funding_sources``, on the base
view ``base.HolderDataApi``; OpenAPI examples in ``examples``."""
