"""Partner reads: ``api_keys`` (keys and environments) and ``teams`` (members and invitations)."""
