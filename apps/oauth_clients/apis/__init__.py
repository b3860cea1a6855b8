"""The partner API over consents (``/v1/consents``)."""
