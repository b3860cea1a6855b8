"""Local development: the embedded default, DEBUG on, a quiet console with framed e-mails, loopback webhooks allowed."""

from .base import *  # noqa: F403
from .base import env, logging_config

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# E-mails (the sign-up verification link among them) are printed framed on the console (apps/core/mail.py).
EMAIL_BACKEND = "apps.core.mail.FramedConsoleEmailBackend"
# The console shows warnings, errors and e-mails; VERBOSE=1 (or LOG_LEVEL=INFO) brings back the worker's, beat's
# and runserver's routine lines.
VERBOSE = env.bool("VERBOSE", default=False)
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO" if VERBOSE else "WARNING")
LOGGING = logging_config(LOG_LEVEL)
if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    # The embedded broker has no host name, and kombu warns so on every connection the web process opens.
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}
OUTBOUND_HTTP_ALLOW_LOOPBACK = True
SANDBOX_QUICKSTART_ENABLED = True
WHITENOISE_USE_FINDERS = True
# Loopback OAuth callbacks (http://localhost:3000/callback) for local apps; production allows https only.
OAUTH2_PROVIDER = {**OAUTH2_PROVIDER, "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"]}  # noqa: F405
