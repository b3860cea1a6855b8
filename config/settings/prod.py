"""Production: PostgreSQL, Redis, a real secret key and DEBUG off, or the process refuses to start."""

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, CELERY_BROKER_URL, DATABASES, FIELD_ENCRYPTION_KEYS, METRICS_TOKEN, SECRET_KEY, env

DEBUG = env.bool("DEBUG", default=False)


def _refuse(reason: str) -> None:
    raise ImproperlyConfigured(f"Refusing to start with production settings: {reason}")


if DEBUG:
    _refuse("DEBUG is on.")
if not SECRET_KEY or SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    _refuse("SECRET_KEY is not set to a real secret (at least 50 characters).")
if any(db["ENGINE"] == "django.db.backends.sqlite3" for db in DATABASES.values()):
    _refuse("the database is SQLite; set DATABASE_URL to PostgreSQL.")
if CACHES["default"]["BACKEND"].endswith(".DatabaseCache"):
    _refuse("the cache is the database cache; set CACHE_URL to Redis.")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _refuse("the Celery broker is the filesystem; set CELERY_BROKER_URL to Redis or RabbitMQ.")
if not FIELD_ENCRYPTION_KEYS:
    # The fallback key derives from SECRET_KEY: rotating that would make every stored bank account unreadable.
    _refuse("FIELD_ENCRYPTION_KEYS is empty; set it to one or more Fernet keys (newest first).")
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    # /metrics is not rate limited: its token must be too long to guess (docs/operations.md).
    _refuse("METRICS_TOKEN is shorter than 32 characters.")
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        _refuse("FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key (32 url-safe base64-encoded bytes).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{host}" for host in ALLOWED_HOSTS])
OUTBOUND_HTTP_ALLOW_LOOPBACK = False
SANDBOX_QUICKSTART_ENABLED = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^health/"]
# The API refuses plain http with a problem instead of redirecting (the key has already been sent in the clear).
API_REQUIRE_HTTPS = env.bool("API_REQUIRE_HTTPS", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
