"""gunicorn reads this file from the directory it starts in (the project root): settings every deployment keeps.

The access log line never carries the query string (``%(U)s`` is the path alone; ``%(r)s`` and ``%(q)s`` would
write a secret key sent as ``?key=cw_sk_...`` in full), the Basic-auth user (``%(u)s``: ``curl -u cw_sk_...:``
sends the key as the user name) or the referrer (it may carry a query string too). The access log is off unless
``--access-logfile`` is given.
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s" %({request-id}o)s'


# /metrics adds up every worker's counters from prometheus_client's multiprocess files (docs/operations.md): a server
# start counts from zero, and a worker that exits has its live gauges dropped (its counters are kept).
def on_starting(server: object) -> None:
    from config.metrics_dir import empty

    empty()


def child_exit(server: object, worker: object) -> None:
    from prometheus_client import multiprocess

    from config.metrics_dir import metrics_dir

    multiprocess.mark_process_dead(worker.pid, str(metrics_dir()))  # type: ignore[attr-defined]
