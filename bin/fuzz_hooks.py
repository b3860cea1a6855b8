"""schemathesis hooks for ``make fuzz`` (bin/fuzz.py loads them through ``SCHEMATHESIS_HOOKS``).

Requests meant to be valid get values a real client would send where the API depends on the world rather than
on the request's shape; requests meant to be invalid are left as generated, so they must still be refused.

- ``Idempotency-Key``: a client sends a fresh key with every new request. Generated keys repeat (the same short
  strings come up for different bodies), and a repeated key with another body is rightly refused (422
  ``idempotency_key_reused``), so a valid request gets a fresh UUID.
- A webhook ``url`` must resolve to an address the server may call; the fuzz server has no internet, so a
  valid request's ``url`` is the loopback receiver address bin/fuzz.py passes in ``FUZZ_WEBHOOK_URL`` (the
  embedded default allows loopback webhooks).
"""

import os
import uuid
from typing import Any

import schemathesis

HEADER = "Idempotency-Key"


def _positive(case: Any) -> bool:
    return case.meta is None or case.meta.generation.mode.is_positive


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    if not _positive(case):
        return
    if case.headers and HEADER in case.headers:
        case.headers = {**case.headers, HEADER: str(uuid.uuid4())}
    url = os.environ.get("FUZZ_WEBHOOK_URL")
    if url and isinstance(case.body, dict) and isinstance(case.body.get("url"), str):
        case.body = {**case.body, "url": url}
