"""Written by sdks/generate.py."""

SDK_VERSION = "1.0.0"
#: The API version the models describe (sent as Causeway-Version).
API_VERSION = "2026-12-07"
