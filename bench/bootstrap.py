"""Start Django for a benchmark: the embedded default in a throwaway folder, whatever the shell's environment.

Import it first (``import bootstrap``) from a script under bench/; then ``bootstrap.ROUNDS``/``PER_ROUND``
size the runs (env ``BENCH_ROUNDS``/``BENCH_REQUESTS``).
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["CAUSEWAY_VAR_DIR"] = tempfile.mkdtemp(prefix="causeway-bench-")
for name in ("DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL"):
    os.environ.pop(name, None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
PER_ROUND = int(os.environ.get("BENCH_REQUESTS", "200"))

from django.conf import settings  # noqa: E402

# Measure what deployments run: request logs through the background writer (the test settings write them
# synchronously).
settings.REQUEST_LOG_WRITER = "thread"
