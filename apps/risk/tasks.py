"""Risk tasks (queue ``default``). Nothing imports this module: the posted hook sends ``monitor_holders`` by name
(``apps.risk.monitoring.trigger.MONITOR_TASK``)."""

from datetime import datetime

from celery import shared_task

from apps.risk.monitoring.run import holders_monitor


@shared_task(soft_time_limit=50, time_limit=60)
def monitor_holders(*, holder_ids: list[int], at: str) -> int:
    """Transaction monitoring for these holders over their window ending at ``at`` (ISO 8601, the postings' time).
    Returns how many findings there were (each raised once as an alert)."""
    return holders_monitor(holder_ids=holder_ids, at=datetime.fromisoformat(at))
