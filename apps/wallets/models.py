"""wallets: models arrive with their issue."""
