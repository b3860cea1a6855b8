"""``causeway listen``: follow the events feed and forward each event to a local URL, signed like a webhook.

Only public API calls: ``GET /v1/events`` with the partner's secret key. Events are polled with
``created[gte]`` a little behind the newest event seen (commits do not land in id order), de-duplicated by id,
and forwarded oldest first. Each forward carries ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature``
made with a session secret printed at start, so the local handler verifies exactly as it will in production.
"""

import argparse
import base64
import json
import os
import secrets
import signal
import sys
import time
from collections import OrderedDict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from standardwebhooks.webhooks import Webhook

from causeway_cli import __version__

USER_AGENT = f"causeway-cli/{__version__}"
# How far behind the newest event seen each poll starts: an event can commit after a later-created one.
OVERLAP = timedelta(seconds=10)
SEEN_LIMIT = 10_000


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class Feed:
    """New events from ``/v1/events``, oldest first, each once."""

    def __init__(self, client: httpx.Client, *, since: datetime, types: list[str]) -> None:
        self.client, self.types = client, types
        self.watermark = since
        self.seen: OrderedDict[str, None] = OrderedDict()

    def poll(self) -> list[dict[str, Any]]:
        fresh = [event for event in self._pages() if event["id"] not in self.seen]
        fresh.sort(key=lambda event: (event["created_at"], event["id"]))
        for event in fresh:
            self.seen[event["id"]] = None
            if len(self.seen) > SEEN_LIMIT:
                self.seen.popitem(last=False)
            self.watermark = max(self.watermark, parse_time(event["created_at"]))
        return fresh

    def _pages(self) -> Iterator[dict[str, Any]]:
        params: dict[str, Any] = {"limit": 100, "created[gte]": rfc3339(self.watermark - OVERLAP)}
        if self.types:
            params["type"] = self.types
        while True:
            response = self.client.get("/v1/events", params=params)
            if response.status_code != 200:
                raise ApiError(response)
            page = response.json()
            yield from page["data"]
            if not page["has_more"]:
                return
            params["starting_after"] = page["next_cursor"]


class ApiError(Exception):
    def __init__(self, response: httpx.Response) -> None:
        try:
            body = response.json()
            detail = f"{body.get('code')}: {body.get('detail')}"
        except ValueError:
            detail = response.text[:200]
        super().__init__(f"{response.status_code} {detail}")
        self.status_code = response.status_code


def forward(client: httpx.Client, url: str, signer: Webhook, event: dict[str, Any]) -> str:
    body = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
    now = datetime.now(UTC)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": event["id"],
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signer.sign(msg_id=event["id"], timestamp=now, data=body),
    }
    try:
        response = client.post(url, content=body.encode("utf-8"), headers=headers)
    except httpx.HTTPError as exc:
        return f"failed ({type(exc).__name__})"
    return f"[{response.status_code}]"


def listen(args: argparse.Namespace) -> int:
    api_key = args.api_key or os.environ.get("CAUSEWAY_API_KEY", "")
    if not api_key:
        print("causeway listen: give --api-key or set CAUSEWAY_API_KEY (a cw_sk_... secret key)", file=sys.stderr)
        return 2
    secret = args.secret or new_secret()
    signer = Webhook(secret)
    api = httpx.Client(
        base_url=args.api_base,
        headers={"Authorization": f"Bearer {api_key}", "User-Agent": USER_AGENT},
        timeout=30,
    )
    local = httpx.Client(timeout=30, follow_redirects=False, trust_env=False)
    feed = Feed(api, since=datetime.now(UTC), types=args.events or [])
    try:
        # The first poll checks the key and skips whatever happened before we started.
        feed.seen.update((event["id"], None) for event in feed._pages())
    except ApiError as exc:
        print(f"causeway listen: the API refused the key: {exc}", file=sys.stderr)
        return 1
    except httpx.HTTPError as exc:
        print(f"causeway listen: cannot reach {args.api_base}: {type(exc).__name__}", file=sys.stderr)
        return 1
    print(f"Ready! Your webhook signing secret is {secret} (^C to quit)", flush=True)
    print(f"Forwarding events to {args.forward_to}", flush=True)
    while True:
        try:
            events = feed.poll()
        except (ApiError, httpx.HTTPError) as exc:
            print(f"{rfc3339(datetime.now(UTC))}  polling failed: {exc}; retrying", file=sys.stderr, flush=True)
            time.sleep(max(args.interval, 2))
            continue
        for event in events:
            outcome = forward(local, args.forward_to, signer, event)
            print(f"{rfc3339(datetime.now(UTC))}  --> {event['type']} [{event['id']}]  <-- {outcome}", flush=True)
        time.sleep(args.interval)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="causeway", description="The Causeway command line.")
    parser.add_argument("--version", action="version", version=f"causeway {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    listen_parser = commands.add_parser("listen", help="Forward your events to a local server, signed like webhooks.")
    listen_parser.add_argument("--forward-to", required=True, help="Local URL, e.g. http://localhost:4242/webhooks")
    listen_parser.add_argument("--api-key", help="Secret key (default: $CAUSEWAY_API_KEY).")
    listen_parser.add_argument(
        "--api-base",
        default=os.environ.get("CAUSEWAY_API_BASE", "http://127.0.0.1:8000"),
        help="API base URL (default: $CAUSEWAY_API_BASE or http://127.0.0.1:8000).",
    )
    listen_parser.add_argument("--events", action="append", help="Only this event type (repeatable).")
    listen_parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls (default 1).")
    listen_parser.add_argument("--secret", help="Sign with this whsec_... secret instead of a fresh one.")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        return listen(args)
    except KeyboardInterrupt:
        return 0
