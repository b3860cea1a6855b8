"""Where prometheus_client's multiprocess mode keeps its files (docs/operations.md).

Read by the settings (which export it as ``PROMETHEUS_MULTIPROC_DIR`` before prometheus_client is imported, as that
library requires) and by gunicorn.conf.py's hooks, which run in gunicorn's arbiter where no settings are loaded.
It imports nothing of Django or prometheus_client.
"""

import os
import shutil
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def metrics_dir() -> Path:
    """``PROMETHEUS_MULTIPROC_DIR`` if set, else ``metrics/`` under the var dir (``CAUSEWAY_VAR_DIR``)."""
    explicit = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("CAUSEWAY_VAR_DIR") or BASE_DIR / "var") / "metrics"


def prepare() -> Path:
    """Create the folder and export it to this process and its children."""
    path = metrics_dir()
    path.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return path


def empty() -> Path:
    """Start counting from zero: remove the files of processes from an earlier run (a server start does this), and
    export the folder. gunicorn's arbiter loads no settings: unexported, its first import of prometheus_client
    (``child_exit``) would fix in-memory counting for every worker it forks afterwards."""
    shutil.rmtree(metrics_dir(), ignore_errors=True)
    return prepare()
