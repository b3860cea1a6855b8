"""Field encryption (``apps.wallets.crypto``): round trips, key rotation, the derived fallback key, and the
production refusal without keys."""

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from apps.wallets import crypto
from apps.wallets.funding_sources import funding_source_add, funding_sources_reencrypt
from apps.wallets.models import FundingSource
from apps.wallets.validators import BankAccountDetails
from tests.core.test_production_settings import assert_refuses, production_env, run  # noqa: F401
from tests.wallets.factories import make_holder

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()
SETUP = "import django; django.setup(); print('started')"


class TestEncryption:
    def test_a_value_round_trips_and_the_token_does_not_contain_it(self):
        token = crypto.encrypt("GB82WEST12345698765432")

        assert "GB82WEST12345698765432" not in token
        assert crypto.decrypt(token) == "GB82WEST12345698765432"

    def test_json_documents_round_trip(self):
        document = {"scheme": "sort_code", "sort_code": "123456", "account_number": "12345678"}

        assert crypto.decrypt_json(crypto.encrypt_json(document)) == document

    def test_two_encryptions_of_one_value_differ(self):
        assert crypto.encrypt("12345678") != crypto.encrypt("12345678")

    def test_an_altered_token_fails_without_revealing_anything(self):
        token = crypto.encrypt("12345678")
        altered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]

        with pytest.raises(crypto.DecryptionFailed) as failure:
            crypto.decrypt(altered)

        assert "12345678" not in str(failure.value)
        assert failure.value.__cause__ is None and failure.value.__suppress_context__


class TestKeyRotation:
    def test_the_first_key_encrypts_and_every_listed_key_decrypts(self):
        with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
            old_token = crypto.encrypt("old secret")
        with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
            new_token = crypto.encrypt("new secret")
            assert crypto.decrypt(old_token) == "old secret"
            assert crypto.decrypt(new_token) == "new secret"
            assert not crypto.encrypted_with_current_key(old_token)
            assert crypto.encrypted_with_current_key(new_token)

        assert Fernet(NEW.encode()).decrypt(new_token.encode()) == b"new secret"
        with pytest.raises(Exception):
            Fernet(OLD.encode()).decrypt(new_token.encode())

    def test_once_the_old_key_is_dropped_its_tokens_no_longer_decrypt(self):
        with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
            token = crypto.encrypt("old secret")

        with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]), pytest.raises(crypto.DecryptionFailed):
            crypto.decrypt(token)

    def test_reencrypt_moves_a_token_to_the_new_key(self):
        with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
            token = crypto.encrypt("secret")
        with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
            rotated = crypto.reencrypt(token)

        with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
            assert crypto.decrypt(rotated) == "secret"

    def test_without_keys_a_key_derived_from_the_secret_key_is_used(self, settings):
        settings.FIELD_ENCRYPTION_KEYS = []
        token = crypto.encrypt("secret")

        assert crypto.configured_keys() == [crypto.derive_key(settings.SECRET_KEY)]
        assert Fernet(crypto.derive_key(settings.SECRET_KEY)).decrypt(token.encode()) == b"secret"
        settings.SECRET_KEY = settings.SECRET_KEY + "-rotated"
        with pytest.raises(crypto.DecryptionFailed):
            crypto.decrypt(token)


@pytest.mark.django_db
class TestFundingSourcesReencrypt:
    def test_rows_under_an_old_key_move_to_the_new_one_and_a_second_run_changes_nothing(self, partner):
        holder = make_holder(partner=partner)
        with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
            source = funding_source_add(
                holder=holder,
                kind="bank_account",
                bank_account=BankAccountDetails(account_holder_name="Ada", iban="GB82WEST12345698765432"),
            )
        before = source.account_encrypted

        with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
            assert funding_sources_reencrypt(batch_size=1) == 1
            assert funding_sources_reencrypt() == 0

        after = FundingSource.objects.get(pk=source.pk).account_encrypted
        assert after != before
        with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
            assert crypto.decrypt_json(after) == {"scheme": "iban", "iban": "GB82WEST12345698765432"}


class TestProductionNeedsEncryptionKeys:
    def test_production_refuses_to_start_without_field_encryption_keys(self, production_env):  # noqa: F811
        production_env.pop("FIELD_ENCRYPTION_KEYS", None)

        assert_refuses(production_env, "FIELD_ENCRYPTION_KEYS is empty")

    def test_production_refuses_a_value_that_is_not_a_fernet_key(self, production_env):  # noqa: F811
        production_env["FIELD_ENCRYPTION_KEYS"] = f"{NEW},not-a-key"

        assert_refuses(production_env, "not a Fernet key")

    def test_production_starts_with_keys(self, production_env):  # noqa: F811
        production_env["FIELD_ENCRYPTION_KEYS"] = f"{NEW},{OLD}"

        result = run(production_env, "-c", SETUP)

        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "started"
