"""The TypeScript SDK end to end against a live server, run by node (v20 or later): a transfer, paging through
transactions, a webhook verified with the SDK's helper, and its retries reusing one Idempotency-Key. Needs the
SDK built (``make sdk``: sdks/typescript/dist)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from apps.webhooks.services import delivery
from tests.helpers import skip_or_fail
from tests.sdks.conftest import SDKS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SCRIPT = Path(__file__).with_name("typescript_smoke.mjs")


def node(*args: str, env: dict[str, str] | None = None) -> dict:
    if shutil.which("node") is None or not (SDKS / "typescript" / "dist" / "index.js").is_file():
        skip_or_fail("node or the built TypeScript SDK (sdks/typescript/dist) is missing: run `make sdk`")
    done = subprocess.run(
        ["node", str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


class TestTypeScriptSdkAgainstALiveServer:
    def test_a_transfer_pages_of_transactions_and_a_verified_webhook(self, live_server, world, receiver, tmp_path):
        out = node(
            "calls",
            env={
                "CAUSEWAY_API_KEY": world["key"],
                "CAUSEWAY_BASE_URL": live_server.url,
                "PAYER": world["payer"],
                "PAYEE": world["payee"],
                "RECEIVER_URL": receiver.url + "/hooks",
            },
        )

        assert (out["transfer"]["status"], out["transfer"]["amount"], out["transfer"]["failure"]) == (
            "succeeded",
            1250,
            None,
        )
        assert (out["replayed"], out["replayedId"]) == ("true", out["transfer"]["id"])
        assert out["version"] == out["sdkVersion"]
        assert out["paged"] == out["whole"] and len(out["paged"]) >= 5
        assert out["unknown"] == {"status": 400, "code": "api_version_unknown"}

        delivery.deliver_batch(delivery_ids=[])
        (received,) = receiver.wait_for(1)
        saved = tmp_path / "webhook.json"
        saved.write_text(
            json.dumps({"body": received.body.decode(), "headers": dict(received.headers), "secret": out["secret"]})
        )

        assert node("verify", str(saved)) == {"id": out["event"], "type": "transfer.failed", "tampered": "refused"}

    def test_retries_reuse_one_idempotency_key(self):
        out = node("retries")

        assert out["status"] == 201 and len(out["keys"]) == 3
        assert len(set(out["keys"])) == 1 and out["keys"][0]
        assert out["bodies"] == ['{"amount":1}'] * 3
