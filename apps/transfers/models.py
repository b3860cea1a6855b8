"""transfers: models arrive with their issue."""
