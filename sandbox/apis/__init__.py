"""``/v1/sandbox/...``: the partner's own sandbox, driven by its secret key (``sandbox:write``). Every endpoint
answers 404 to a live credential, before the scope is looked at: in live these paths do not exist."""
