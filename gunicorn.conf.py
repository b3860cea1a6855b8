"""gunicorn reads this file from the directory it starts in (the project root): settings every deployment keeps.

The access log line never carries the query string (``%(U)s`` is the path alone; ``%(r)s`` and ``%(q)s`` would
write a secret key sent as ``?key=cw_sk_...`` in full), the Basic-auth user (``%(u)s``: ``curl -u cw_sk_...:``
sends the key as the user name) or the referrer (it may carry a query string too). The access log is off unless
``--access-logfile`` is given.
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s" %({request-id}o)s'
