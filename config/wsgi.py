import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
application = get_wsgi_application()

# Everything loaded so far (settings, apps, models, URL patterns) lives as long as the process: move it out of
# the collector's reach, so a collection scans only what requests allocate, and collect the youngest generation
# less often. A request allocates thousands of short-lived objects that reference counting frees, and with the
# default threshold (700) a transfer paid for several collections (docs/architecture.md, "The write path").
gc.freeze()
gc.set_threshold(10_000, 10, 10)
