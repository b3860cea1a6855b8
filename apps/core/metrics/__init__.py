"""Prometheus metrics (docs/operations.md): what every process counts, and the collectors /metrics runs.

Counters and histograms live in prometheus_client's multiprocess files (``settings.METRICS_DIR``), so gunicorn's
workers, runserver and Celery's processes all count into one set that ``GET /metrics`` adds up. Figures that need
a query (the webhook backlog, the last reconciliation) are never computed on the request path: an app registers a
collector at start-up (``register_collector``) and it runs only when /metrics is scraped.
"""

from collections.abc import Callable, Iterable

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import Metric
from prometheus_client.multiprocess import MultiProcessCollector

logger = structlog.get_logger(__name__)

HTTP_REQUESTS = Counter(
    "causeway_http_requests",
    "HTTP requests answered, by method, URL route template and status code.",
    ["method", "route", "status"],
)
HTTP_REQUEST_SECONDS = Histogram(
    "causeway_http_request_duration_seconds",
    "Time to answer a request (from the outermost middleware), by method and URL route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
TRANSFER_STATUSES = Counter(
    "causeway_transfer_statuses",
    "Transfers that reached a status (counted when the move commits), by transfer type and status.",
    ["type", "status"],
)

# Scrape-time collectors: each returns the metric families it computed (with queries, in the scraping process).
_collectors: list[Callable[[], Iterable[Metric]]] = []


def register_collector(collect: Callable[[], Iterable[Metric]]) -> None:
    """Add a scrape-time collector (from an app's ``ready()``); registering the same function twice is harmless."""
    if collect not in _collectors:
        _collectors.append(collect)


class _ScrapeTimeCollectors:
    def collect(self) -> Iterable[Metric]:
        for collect in _collectors:
            try:
                families = list(collect())
            except Exception:
                # One failing figure (the database away) must not cost the counters: the others are still served.
                logger.exception("metrics_collector_failed", collector=f"{collect.__module__}.{collect.__qualname__}")
                continue
            yield from families


def registry() -> CollectorRegistry:
    """A registry for one scrape: every process's counters from the files, then the scrape-time collectors."""
    scrape = CollectorRegistry()
    MultiProcessCollector(scrape)
    scrape.register(_ScrapeTimeCollectors())
    return scrape
