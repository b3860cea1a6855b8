"""Development e-mail: each message printed on stderr as plain text in a frame, every link on a line of its own,
so a verification link stands out among the console's warnings and can be clicked or copied whole (Django's
console backend prints the MIME source, where quoted-printable soft breaks cut long links)."""

import re
import sys
import threading
from collections.abc import Sequence
from typing import Any, TextIO

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

RULE = "=" * 78
_LINK = re.compile(r"https?://[^\s<>\"']+")


def framed(message: EmailMessage) -> str:
    """The message as the console shows it: recipients, subject, body, then its links one per line."""
    body = message.body if isinstance(message.body, str) else str(message.body)
    links = list(dict.fromkeys(_LINK.findall(body)))
    lines = [
        "",
        f"{RULE[:3]} E-mail {RULE[: len(RULE) - 11]}",
        f"To:      {', '.join(message.to)}",
        f"Subject: {message.subject}",
        "",
        body.strip(),
    ]
    if links:
        lines += ["", "Links:", *links]
    return "\n".join([*lines, RULE, "", ""])


class FramedConsoleEmailBackend(BaseEmailBackend):
    """Prints every message with ``framed`` on stderr (stdout of the dev processes is kept quiet by bin/dev-run)."""

    def __init__(self, *args: Any, stream: TextIO | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stderr
        self._lock = threading.RLock()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        with self._lock:
            for message in email_messages:
                self.stream.write(framed(message))
            self.stream.flush()
        return len(email_messages)
