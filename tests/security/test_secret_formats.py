"""The credential shapes that the secrets scan and the leak test look for match what Causeway really issues, and
never a redacted form, so a change of format cannot leave either blind."""

import pytest

from apps.oauth_clients.services.applications import _new_secret as new_client_secret
from apps.oauth_clients.tokens import new_access_token, new_refresh_token
from apps.partners import keys
from apps.webhooks.signing import new_secret as new_webhook_secret
from tests.security.secret_formats import SHAPES, find

ISSUERS = {
    "secret key": lambda: keys.generate("live"),
    "access token": new_access_token,
    "refresh token": new_refresh_token,
    "client secret": new_client_secret,
    "webhook secret": new_webhook_secret,
}


class TestSecretFormats:
    def test_every_shape_has_its_issuer(self):
        assert set(SHAPES) == set(ISSUERS)

    @pytest.mark.parametrize("name", sorted(ISSUERS))
    def test_what_is_issued_is_found_whole_in_text(self, name):
        for _ in range(20):
            value = ISSUERS[name]()
            assert find(f"Authorization: Bearer {value}\n") == [(name, value)]

    def test_a_sandbox_key_and_a_redacted_key(self):
        value = keys.generate("sandbox")

        assert find(value) == [("secret key", value)]
        assert find(keys.redact(value)) == []
