"""Every runnable code sample of the docs runs here against a live server, so the docs cannot rot.

A sample is a fenced block marked runnable (```` ```{.bash .runnable} ````, ``.python`` or ``.js``; a receiver
that waits for a webhook adds ``.receiver``). A page's samples of one language run in page order, each in a
fresh process (bash, this Python, ``node`` with its built-in ``fetch``), with the variables the docs tell the
reader to set: ``CAUSEWAY_BASE_URL`` and ``CAUSEWAY_API_KEY``, ``SOURCE_WALLET`` and ``DESTINATION_WALLET``
(two USD wallets, the first funded), ``HOLDER_ID`` (the first one's holder), and ``CAUSEWAY_WEBHOOK_SECRET``
once a sample has printed one. The receiver's port 4242 becomes a free one. Webhooks owed to a running receiver
are delivered after each sample (the worker's job under ``make run``); every receiver must then exit 0 having
verified one.
Blocks in a runnable language that are not samples (commands for the operator, fragments of a framework app,
the browser-driven OAuth flow) are listed in ``NOT_SAMPLES`` with the reason."""

import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from apps.partners.services import api_key_create
from apps.webhooks.models import WebhookDelivery
from apps.webhooks.services.delivery import deliver_batch
from tests.helpers import skip_or_fail
from tests.transfers.factories import fresh_reference_tables
from tests.wallets.factories import make_holder, make_wallet
from tests.webhooks.live import free_port

DOCS = Path(settings.BASE_DIR) / "docs"
FENCE = re.compile(r"^(?P<indent> *)```(?P<info>[^\n]*)\n(?P<code>.*?)^(?P=indent)```", re.MULTILINE | re.DOTALL)
RUNNABLE = re.compile(r"^\{\.(?P<lang>bash|python|js)(?P<classes>(?: \.[a-z-]+)*)\}$")
LANGUAGES = {"bash", "sh", "python", "js", "javascript"}
SECRET = re.compile(r"whsec_[A-Za-z0-9+/=]+")
TIMEOUT = 30
# (page, how the block's first line starts): why it is not run.
NOT_SAMPLES = {
    ("index.md", "export CAUSEWAY_BASE_URL="): "the variables the runner sets",
    ("quickstart.md", "export CAUSEWAY_BASE_URL="): "the variables the runner sets",
    ("quickstart.md", "export SOURCE_WALLET="): "the variables the runner sets",
    ("quickstart.md", "export CAUSEWAY_WEBHOOK_SECRET="): "the variable the runner sets from the printed secret",
    ("sandbox.md", "make run"): "an operator command",
    ("sdks.md", "from causeway_sdk import connect"): "the Python SDK's calls, run against a live server in tests/sdks",
    ("funding-sources.md", "python manage.py shell"): "an operator command",
    ("ledger.md", "with transaction.atomic(), ledger.sandbox_purge_allowed():"): "server internals",
    ("consents.md", 'curl "$CAUSEWAY_BASE_URL/v1/transfers"'): (
        "needs a holder's access token from the consent screen (tests/oauth_clients run that flow)"
    ),
    ("fx.md", 'curl "$CAUSEWAY_BASE_URL/v1/fx/quotes/fxq_'): "reads the quote created above by its id",
    ("transfers.md", 'curl -X POST "$CAUSEWAY_BASE_URL/v1/transfers/tr_.../cancel"'): "needs a pending transfer",
    ("transfers.md", 'curl "$CAUSEWAY_BASE_URL/v1/transfers/tr_.../reversals"'): "needs a transfer of the reader's",
    ("oauth.md", "import json"): "drives a browser through the consent screen (tests/oauth_clients run that flow)",
    ("webhooks.md", "from flask import Flask, abort, request"): "a fragment of a Flask app",
    ("webhooks.md", 'import express from "express";'): "a fragment of an Express app",
    ("webhooks.md", "pip install ./clients/cli"): "runs until stopped (tests/webhooks/test_listen_cli.py runs the CLI)",
}


def not_a_sample(page: str, code: str) -> bool:
    first = code.splitlines()[0]
    return any(page == where and first.startswith(start) for where, start in NOT_SAMPLES)


@dataclass
class Sample:
    page: str
    lang: str
    code: str
    receiver: bool


def blocks() -> list[tuple[str, str, str]]:
    """(page, info string, dedented code) of every fenced block of the docs."""
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        for match in FENCE.finditer(path.read_text()):
            code = textwrap.dedent(match.group("code"))
            found.append((str(path.relative_to(DOCS)), match.group("info").strip(), code))
    return found


def samples() -> dict[tuple[str, str], list[Sample]]:
    chains: dict[tuple[str, str], list[Sample]] = {}
    for page, info, code in blocks():
        match = RUNNABLE.match(info)
        if match:
            sample = Sample(page, match.group("lang"), code, ".receiver" in match.group("classes"))
            chains.setdefault((page, sample.lang), []).append(sample)
    return chains


CHAINS = samples()


def command(lang: str) -> list[str]:
    if lang == "bash":
        return ["bash", "-euo", "pipefail", "-s"]
    if lang == "python":
        return [sys.executable, "-"]
    node = shutil.which("node")
    if node is None:
        skip_or_fail("needs Node.js 20 or later (node) for the Node samples")
    return [node, "--input-type=module", "-"]


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"the receiver did not listen on {port}: {process.communicate()}")


def deliver_due(partner) -> None:
    ids = list(WebhookDelivery.objects.filter(endpoint__partner=partner, status="pending").values_list("pk", flat=True))
    if ids:
        deliver_batch(delivery_ids=ids)


class TestSampleInventory:
    def test_every_block_in_a_runnable_language_is_a_sample_or_says_why_not(self):
        unexplained = [
            (page, code.splitlines()[0])
            for page, info, code in blocks()
            if info.split(" ")[0] in LANGUAGES and not not_a_sample(page, code)
        ]

        assert unexplained == [], "mark them {.lang .runnable} or list them in NOT_SAMPLES with the reason"

    def test_the_quickstart_has_curl_python_and_node_samples(self):
        assert {lang for page, lang in CHAINS if page == "quickstart.md"} == {"bash", "python", "js"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("page", "lang"), sorted(CHAINS), ids=[f"{p}-{lang}" for p, lang in sorted(CHAINS)])
def test_the_samples_of_a_page_run(page, lang, live_server, partner, sandbox):
    with fresh_reference_tables(seed=True):  # the limit rules and FX rates a transactional test's flush empties
        run_chain(page, lang, live_server, partner, sandbox)


def run_chain(page, lang, live_server, partner, sandbox) -> None:
    key = api_key_create(environment=sandbox, name="Docs samples")
    holder = make_holder(partner=partner)
    source, destination = make_wallet(holder=holder, balance=50_000), make_wallet(holder=make_holder(partner=partner))
    port = free_port()
    env = {
        **os.environ,
        "CAUSEWAY_BASE_URL": live_server.url,
        "CAUSEWAY_API_KEY": key.secret,
        "SOURCE_WALLET": source.public_id,
        "DESTINATION_WALLET": destination.public_id,
        "HOLDER_ID": holder.public_id,
    }
    receivers: list[subprocess.Popen] = []
    try:
        for sample in CHAINS[(page, lang)]:
            code = sample.code.replace("4242", str(port))
            if sample.receiver:
                process = subprocess.Popen(
                    command(lang),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    env=env,
                )
                process.stdin.write(code)  # type: ignore[union-attr]
                process.stdin.close()  # type: ignore[union-attr]
                receivers.append(process)
                wait_for_port(port, process)
                continue
            result = subprocess.run(command(lang), input=code, capture_output=True, text=True, env=env, timeout=TIMEOUT)
            assert result.returncode == 0, f"{page} ({lang}) failed:\n{code}\n{result.stdout}\n{result.stderr}"
            if found := SECRET.search(result.stdout):
                env["CAUSEWAY_WEBHOOK_SECRET"] = found.group(0)
            if receivers:
                deliver_due(partner)
        for process in receivers:
            process.wait(TIMEOUT)
            out, err = process.stdout.read(), process.stderr.read()  # type: ignore[union-attr]
            assert process.returncode == 0, f"{page} ({lang}) receiver failed:\n{out}\n{err}"
            assert out.startswith("verified "), out
    finally:
        for process in receivers:
            if process.poll() is None:
                process.kill()
