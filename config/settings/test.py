"""The test suite: the embedded default unless DATABASE_URL / CACHE_URL / CELERY_BROKER_URL say otherwise."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env, filesystem_broker_options

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
OUTBOUND_HTTP_ALLOW_LOOPBACK = True
SANDBOX_QUICKSTART_ENABLED = True
LOG_LEVEL = env.str("LOG_LEVEL", default="WARNING")
CELERY_TASK_ALWAYS_EAGER = False
# Tests never share the developer's broker folders.
if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(VAR_DIR / "test-broker")
WHITENOISE_USE_FINDERS = True
# Loopback OAuth callbacks (http://localhost:3000/callback) for local apps; production allows https only.
OAUTH2_PROVIDER = {**OAUTH2_PROVIDER, "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"]}  # noqa: F405
# Request logs are written in the request's own transaction: no writer thread holding connections in tests
# (tests of the threaded writer switch it on themselves).
REQUEST_LOG_WRITER = "sync"
RISK_MONITORING_SENDER = "sync"  # one message at each commit, so a test sees it at once
# The suite runs through the rate limiter (headers and all) but never reaches a limit; tests of the limits set
# their own.
RATE_LIMITS = {name: 1_000_000 for name in RATE_LIMITS}  # noqa: F405
