"""webhooks: models arrive with their issue."""
