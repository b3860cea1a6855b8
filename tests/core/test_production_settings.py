"""``config.settings.prod`` refuses to start on the embedded default or with development values.

Each case starts a fresh interpreter with a controlled environment (nothing inherited from the shell or CI
that could change the outcome), so these tests need no database.
"""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SETUP = "import django; django.setup(); print('started')"


def random_secret_key(length: int = 60) -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    """A complete, valid production environment; each test breaks one thing."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "CAUSEWAY_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "CACHE_URL": "redis://127.0.0.1:6379/0",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "SECRET_KEY": random_secret_key(),
        "ALLOWED_HOSTS": "api.example.com",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def assert_refuses(env: dict[str, str], reason: str) -> None:
    result = run(env, "-c", SETUP)
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "ImproperlyConfigured: Refusing to start with production settings" in result.stderr
    assert reason in result.stderr


class TestProductionSettingsRefuse:
    def test_the_complete_environment_starts(self, production_env):
        result = run(production_env, "-c", SETUP)

        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "started"

    def test_a_short_metrics_token_is_refused(self, production_env):
        production_env["METRICS_TOKEN"] = "x" * 31

        assert_refuses(production_env, "METRICS_TOKEN")

    def test_without_database_url_it_refuses_sqlite(self, production_env):
        del production_env["DATABASE_URL"]

        assert_refuses(production_env, "SQLite")

    def test_a_sqlite_database_url_is_refused(self, production_env, tmp_path):
        production_env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"

        assert_refuses(production_env, "SQLite")

    @pytest.mark.parametrize(
        "secret_key",
        [
            None,
            "",
            "short-but-random-8Hq2",
            "insecure-dev-key-causeway-not-for-production-but-long-enough-now",
            "ab" * 40,
        ],
        ids=["unset", "empty", "short", "insecure-default-prefix", "few-distinct-characters"],
    )
    def test_a_missing_or_weak_secret_key_is_refused(self, production_env, secret_key):
        if secret_key is None:
            del production_env["SECRET_KEY"]
        else:
            production_env["SECRET_KEY"] = secret_key

        assert_refuses(production_env, "SECRET_KEY")

    @pytest.mark.parametrize("value", ["true", "1", "on"])
    def test_debug_on_is_refused(self, production_env, value):
        production_env["DEBUG"] = value

        assert_refuses(production_env, "DEBUG")

    def test_the_filesystem_broker_is_refused(self, production_env):
        production_env["CELERY_BROKER_URL"] = "filesystem://"

        assert_refuses(production_env, "broker")

    def test_without_a_broker_url_it_refuses_the_filesystem_default(self, production_env):
        del production_env["CELERY_BROKER_URL"]

        assert_refuses(production_env, "broker")

    def test_without_cache_url_it_refuses_the_database_cache(self, production_env):
        del production_env["CACHE_URL"]

        assert_refuses(production_env, "database cache")

    def test_without_allowed_hosts_it_does_not_start(self, production_env):
        del production_env["ALLOWED_HOSTS"]

        result = run(production_env, "-c", SETUP)

        assert result.returncode != 0
        assert "ALLOWED_HOSTS" in result.stderr


class TestDeployCheck:
    def test_the_deploy_check_finds_nothing_outside_the_oauth_toolkit_gates(self, production_env):
        result = run(production_env, "manage.py", "check", "--deploy")

        issues = [line for line in result.stderr.splitlines() if line.startswith("?: (") or ": (" in line]
        assert [line for line in issues if "(oauth2_provider." not in line] == []
        assert result.returncode == 0, result.stderr

    def test_the_deploy_check_passes_at_warning_level(self, production_env):
        result = run(production_env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

        assert result.returncode == 0, result.stderr
