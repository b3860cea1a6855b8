"""The development console (``make run``): warnings, errors and e-mails only, unless VERBOSE=1 asks for more."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import EmailMessage

from apps.core.mail import FramedConsoleEmailBackend

ROOT = Path(__file__).resolve().parents[2]
LEVELS = (
    "import json, config.settings.dev as s; "
    "print(json.dumps({'root': s.LOGGING['root']['level'], "
    "**{name: logger['level'] for name, logger in s.LOGGING['loggers'].items()}}))"
)


def dev_logging_levels(tmp_path: Path, **env: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("VERBOSE", "LOG_LEVEL")}
    output = subprocess.run(
        [sys.executable, "-c", LEVELS],
        cwd=ROOT,
        env={**clean, "CAUSEWAY_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


class TestDevelopmentLogging:
    def test_worker_beat_and_request_lines_are_below_the_console_by_default(self, tmp_path):
        levels = dev_logging_levels(tmp_path)

        assert {levels["root"], levels["celery"], levels["django.server"]} == {"WARNING"}
        assert levels["django.request"] == "ERROR"

    def test_verbose_brings_them_back(self, tmp_path):
        levels = dev_logging_levels(tmp_path, VERBOSE="1")

        assert {levels["root"], levels["celery"], levels["django.server"]} == {"INFO"}


class TestFramedEmail:
    def test_a_message_stands_out_with_its_link_on_a_line_of_its_own(self):
        link = "http://127.0.0.1:8000/accounts/confirm-email/MQ:1vZ9xk:" + "a" * 60 + "/"
        stream = io.StringIO()
        message = EmailMessage(
            "Please confirm your e-mail address", f"Hello,\n\nTo confirm, go to {link}\n", to=["ada@example.com"]
        )

        assert FramedConsoleEmailBackend(stream=stream).send_messages([message]) == 1

        lines = stream.getvalue().strip("\n").splitlines()
        assert lines[0].startswith("=== E-mail ===")
        assert lines[-1] == "=" * 78
        assert "To:      ada@example.com" in lines
        assert "Subject: Please confirm your e-mail address" in lines
        assert link in lines  # whole, alone on its line: no quoted-printable soft break

    @pytest.mark.parametrize("body", ["No links here.", ""])
    def test_a_message_without_links_has_no_links_block(self, body):
        stream = io.StringIO()
        FramedConsoleEmailBackend(stream=stream).send_messages([EmailMessage("Hi", body, to=["a@example.com"])])

        assert "Links:" not in stream.getvalue()
