"""The secret key format: ``cw_sk_<environment>_<40 random base62><6 base62 CRC32 checksum>``."""

import hashlib
import re
import string
import zlib

import pytest

from apps.partners import keys

BASE62 = string.digits + string.ascii_letters
DOCUMENTED = re.compile(r"^cw_sk_(sandbox|live)_[0-9A-Za-z]{40}[0-9A-Za-z]{6}$")


def from_base62(text: str) -> int:
    number = 0
    for char in text:
        number = number * 62 + BASE62.index(char)
    return number


class TestGenerate:
    @pytest.mark.parametrize("environment", ["sandbox", "live"])
    def test_a_generated_key_has_the_documented_format(self, environment):
        secret = keys.generate(environment)

        assert DOCUMENTED.match(secret)
        assert secret.startswith(f"cw_sk_{environment}_")
        assert len(secret) == len(f"cw_sk_{environment}_") + 40 + 6

    @pytest.mark.parametrize("environment", ["sandbox", "live"])
    def test_the_last_six_characters_are_the_base62_crc32_of_the_rest(self, environment):
        secret = keys.generate(environment)

        assert from_base62(secret[-6:]) == zlib.crc32(secret[:-6].encode())

    def test_an_unknown_environment_is_refused(self):
        with pytest.raises(ValueError):
            keys.generate("staging")

    def test_keys_are_unique_across_a_thousand_generations(self):
        generated = [keys.generate("sandbox") for _ in range(1000)]

        assert len(set(generated)) == 1000
        assert len({secret[len("cw_sk_sandbox_") : -6] for secret in generated}) == 1000
        assert len({keys.digest(secret) for secret in generated}) == 1000


class TestParse:
    @pytest.mark.parametrize("environment", ["sandbox", "live"])
    def test_a_generated_key_parses_to_its_environment_and_sha256_digest(self, environment):
        secret = keys.generate(environment)

        parsed = keys.parse(secret)

        assert parsed is not None
        assert parsed.environment == environment
        assert parsed.digest == hashlib.sha256(secret.encode()).hexdigest()

    @pytest.mark.parametrize("environment", ["sandbox", "live"])
    def test_any_single_character_change_is_refused(self, environment):
        secret = keys.generate(environment)
        substitutes = BASE62 + "_-.+/= "

        accepted = [
            (position, char)
            for position in range(len(secret))
            for char in substitutes
            if char != secret[position] and keys.parse(secret[:position] + char + secret[position + 1 :]) is not None
        ]

        assert accepted == []

    @pytest.mark.parametrize(
        "mangle",
        [
            lambda s: s[:-1],
            lambda s: s + "a",
            lambda s: s[1:],
            lambda s: s.upper(),
            lambda s: " " + s,
            lambda s: s + "\n",
            lambda s: s.replace("cw_sk_", "cw_pk_"),
            lambda s: s.replace("sandbox", "live"),
            lambda s: s[:20] + s[21] + s[20] + s[22:],
        ],
        ids=[
            "truncated",
            "extra-char",
            "missing-first",
            "upper",
            "leading-space",
            "trailing-newline",
            "other-prefix",
            "other-environment",
            "swapped-neighbours",
        ],
    )
    def test_other_damage_is_refused(self, mangle):
        secret = keys.generate("sandbox")
        while secret[20] == secret[21]:
            secret = keys.generate("sandbox")

        assert keys.parse(mangle(secret)) is None

    @pytest.mark.parametrize("value", ["", "cw_sk_", "cw_sk_sandbox_", "Bearer x", "cw_sk_test_" + "a" * 46])
    def test_values_that_are_not_keys_are_refused(self, value):
        assert keys.parse(value) is None


class TestRedact:
    @pytest.mark.parametrize("environment", ["sandbox", "live"])
    def test_redact_shows_the_environment_and_only_the_last_four_characters(self, environment):
        secret = keys.generate(environment)

        redacted = keys.redact(secret)

        assert redacted == f"cw_sk_{environment}_...{secret[-4:]}"
        assert secret[len(f"cw_sk_{environment}_") : -4] not in redacted
