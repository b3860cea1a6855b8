"""Settings shared by every deployment.

With no environment variables Causeway runs on the embedded default: SQLite (money in one file, the cache
and request logs in a second one), a Celery ``filesystem://`` broker under ``var/`` and the database cache.
Setting ``DATABASE_URL``, ``CELERY_BROKER_URL`` and ``CACHE_URL`` switches to PostgreSQL and Redis.
"""

from pathlib import Path

import environ

from config import metrics_dir

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("CAUSEWAY_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env.str("SECRET_KEY", default="insecure-dev-key-causeway-not-for-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
BASE_URL = env.str("CAUSEWAY_BASE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # First: its createsuperuser (which also records the user's e-mail address) replaces django.contrib.auth's.
    "apps.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "apps.partners",
    "apps.events",
    "apps.wallets",
    "apps.transfers",
    "apps.oauth_clients",
    "apps.webhooks",
    "apps.offers",
    "apps.risk",
    "apps.compliance",
    "sandbox",
]

MIDDLEWARE = [
    # Outermost, so a request's measured latency covers every other middleware (docs/operations.md).
    "apps.core.metrics.middleware.MetricsMiddleware",
    "apps.core.middleware.RequestIdMiddleware",
    # Right after the request id, so a logged request's latency covers everything below it.
    "apps.partners.request_logs.RequestLogMiddleware",
    # Counted before anything costs: a request over its limit is answered 429 here (docs/rate-limits.md).
    "apps.core.ratelimits.RateLimitMiddleware",
    # Refuses an unknown Causeway-Version and states the version used on every API response (docs/versioning.md).
    "apps.core.versioning.http.ApiVersionMiddleware",
    # Refusals that cost nothing (http in production, NUL, over-size bodies, wrong methods) before anything else.
    "apps.core.guards.ApiGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves the API reference's assets (drf-spectacular-sidecar) from the app itself: no CDN, works offline.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "core.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["apps.core.templatetags.portal_ui"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.partners.portal.context.portal",
            ],
        },
    }
]

# --- Databases -------------------------------------------------------------------------------------------------
# SQLite is tuned so that 16 concurrent writers queue instead of failing with "database is locked": WAL lets
# readers run beside the writer, IMMEDIATE takes the write lock at BEGIN (no lock upgrade deadlocks), and the
# busy timeout makes a writer wait for the lock instead of failing at once.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}


def _sqlite(path: Path) -> dict:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": dict(SQLITE_OPTIONS)}


if "DATABASE_URL" in env:
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, with a health check that sends nothing while the connection is quiet.
        DATABASES["default"]["ENGINE"] = "apps.core.postgresql"
    # Values travel as parameters, and a statement a connection runs a fifth time is prepared, so PostgreSQL
    # stops planning the same statements again (docs/architecture.md, "The write path"). Off for a pooler in
    # transaction mode that cannot keep prepared statements: DATABASE_PREPARED_STATEMENTS=false.
    if env.bool("DATABASE_SERVER_SIDE_BINDING", default=True):
        DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
        if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
            DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5
else:
    # The cache and the request logs live in a second file so their writes never queue behind money.
    DATABASES = {"default": _sqlite(VAR_DIR / "causeway.sqlite3"), "aux": _sqlite(VAR_DIR / "causeway-aux.sqlite3")}
DATABASE_ROUTERS = ["apps.core.db.AuxiliaryRouter"]

# --- Cache -------------------------------------------------------------------------------------------------
if "CACHE_URL" in env:
    CACHES = {"default": env.cache("CACHE_URL")}
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        # The same backend, sharing one Redis client per pool (apps/core/cache.py).
        CACHES["default"]["BACKEND"] = "apps.core.cache.RedisCache"
else:
    # Django's, with an atomic counter for the rate limits. Culling (a third of all keys, whichever they are)
    # would drop live rate-limit counters; expired rows are deleted as they are met and by culling past this.
    CACHES = {
        "default": {
            "BACKEND": "apps.core.cache.DatabaseCache",
            "LOCATION": "causeway_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# --- Celery --------------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")


def filesystem_broker_options(folder: Path) -> dict:
    """Transport options for the ``filesystem://`` broker, with every folder it uses created under ``folder``."""
    subfolders = {
        "data_folder_in": "queue",
        "data_folder_out": "queue",
        "processed_folder": "processed",
        "control_folder": "control",
    }
    for name in set(subfolders.values()):
        (folder / name).mkdir(parents=True, exist_ok=True)
    return {key: str(folder / name) for key, name in subfolders.items()} | {"store_processed": False}


if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(VAR_DIR / "broker")
else:
    # Longer than any task may run, so an acked-late task is not redelivered while it is still running.
    # max_retries 0: a publish with the broker down fails at once instead of retrying the connection for seconds
    # inside a request (webhook enqueues after commit are caught and left to the sweeper). Workers reconnect on
    # their own schedule (broker_connection_retry).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "max_retries": 0}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
# Queues are assigned here (the per-task `queue` option is deprecated). Webhook delivery has its own queue so a
# backlog of deliveries never delays settlement and other work; workers consume both (bin/dev-run).
CELERY_TASK_ROUTES = {"apps.webhooks.*": {"queue": "webhooks"}, "apps.*": {"queue": "default"}}
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = "UTC"

# --- Internationalisation and static files --------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# The docs site (`make docs`, mkdocs.yml) is built here and served at /docs/ (apps/core/docs_site.py).
DOCS_SITE_DIR = Path(env.str("DOCS_SITE_DIR", default=str(BASE_DIR / "site")))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Portal: accounts (django-allauth) ------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Partners can build in the sandbox at once; a verified e-mail is on the checklist and required for live access.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SIGNUP_FORM_CLASS = "apps.partners.portal.forms.SignupForm"
ACCOUNT_ADAPTER = "apps.partners.portal.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Causeway] "
# Tell members by e-mail when their password, e-mail address or two-factor set-up changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Login rate limiting (allauth counts in the cache): per IP and per account.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/key,20/m/ip",
    "signup": "10/h/ip",
    "reset_password": "5/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "3/h/key",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Causeway"
MFA_RECOVERY_CODE_COUNT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Causeway <no-reply@causeway.test>")
SESSION_COOKIE_NAME = "cw_portal_session"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Deeper JSON bodies are refused with 400 nesting_too_deep (apps/core/parsers.py); no endpoint needs more than 4.
API_MAX_JSON_DEPTH = 32
# Plain-http /v1/ requests are refused with 403 https_required (apps/core/guards.py). On in production.
API_REQUIRE_HTTPS = False

# --- API ----------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # OAuth access tokens (cw_at_...) first: the API-key class refuses any other bearer value as malformed.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.oauth_clients.authentication.OAuthTokenAuthentication",
        "apps.partners.authentication.ApiKeyAuthentication",
    ],
    # Sandbox fault injection (apps/core/faults.py) runs last, once the credential is known and allowed.
    "DEFAULT_PERMISSION_CLASSES": ["apps.core.permissions.HasRequiredScopes", "apps.core.faults.SandboxFaults"],
    "DEFAULT_RENDERER_CLASSES": ["apps.core.versioning.http.VersionedJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["apps.core.parsers.StrictJSONParser"],
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    "EXCEPTION_HANDLER": "apps.core.exceptions.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "apps.core.openapi.ScopedAutoSchema",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": [],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# Pure data (no Django import), so settings can name it.
from apps.core.versioning import LATEST as LATEST_API_VERSION  # noqa: E402

SPECTACULAR_SETTINGS = {
    "TITLE": "Causeway API",
    "DESCRIPTION": (
        "Open banking over a digital wallet: wallet holders' accounts, balances, transactions and transfers, "
        "with the holder's consent. Authenticate with a secret key: `Authorization: Bearer cw_sk_sandbox_...`. "
        "Responses are shaped for your team's pinned dated version unless a request sends `Causeway-Version: "
        "YYYY-MM-DD`; every response states the version used in its `Causeway-Version` header. This reference "
        "describes the latest version (`x-api-version`); see the versioning guide for older ones.\n\n"
        "Guides, the quickstart, the error codes and the event catalogue are on the [docs site](/docs/)."
    ),
    "VERSION": "v1",
    # The dated version the schema describes (docs/versioning.md); the SDKs send it as Causeway-Version.
    "EXTENSIONS_INFO": {"x-api-version": LATEST_API_VERSION},
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge from validator.swagger.io: the reference works offline.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TransferTypeEnum": "apps.transfers.models.Transfer.Type",
        "TransferStatusEnum": "apps.transfers.models.Transfer.Status",
        "WebhookDeliveryStatusEnum": "apps.webhooks.models.WebhookDelivery.Status",
        "WebhookEndpointStatusEnum": ["enabled", "disabled"],
        "CurrencyEnum": "apps.wallets.currencies.CODES",
        "EventTypeEnum": "apps.events.types.EVENT_TYPES",
        "MerchantCategoryEnum": "apps.wallets.categories.CATEGORIES",
        "RiskLevelEnum": "apps.risk.scoring.LEVEL_NAMES",
        "RiskReasonEnum": "apps.risk.scoring.REASONS",
    },
    "SCHEMA_COERCE_PATH_PK_SUFFIX": True,
    # x-codeSamples (curl, Python SDK, TypeScript SDK) on every operation are generated (docs/sdks.md).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.openapi_links.add_links",
        "apps.core.openapi_samples.add_code_samples",
    ],
}

# --- OAuth 2.0 (all of django-oauth-toolkit's models are swapped into apps.oauth_clients) ---------------------
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth_clients.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth_clients.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth_clients.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth_clients.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth_clients.Grant"
OAUTH2_PROVIDER_DEVICE_GRANT_MODEL = "oauth_clients.DeviceGrant"
OAUTH2_PROVIDER = {
    "SCOPES": {
        "accounts:read": "See the wallet holder, their wallets and funding sources",
        "balances:read": "See wallet balances",
        "transactions:read": "See wallet transactions",
        "transfers:read": "See transfers",
        "transfers:write": "Make transfers",
        "events:read": "Read the partner's events",
        "webhooks:write": "Manage webhook endpoints",
        "consents:write": "Manage consents",
        "sandbox:write": "Run sandbox simulations",
        "insights:read": "See spending insights (holders who opted in)",
        "offers:read": "See the offers available to the holder",
        "offers:write": "Manage offers (partner) or save offers to the holder's wallet",
        "points:write": "Redeem loyalty points",
        "introspection": "Introspect tokens (internal resource servers only)",
    },
    # Holders sign in on the consent screen with their own session (apps/oauth_clients/server/holder_session.py).
    "DEFAULT_SCOPES": [],
    "PKCE_REQUIRED": True,
    # https only; dev and test add http for loopback callbacks. The portal issue decides how sandbox apps in a
    # production deployment may use http://localhost callbacks (validated per environment by the apps layer).
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "ALLOW_URI_WILDCARDS": False,
    # RFC 9700 (OAuth 2.0 Security BCP): adopt every compliant behaviour now. Tokens are stored hashed, plain
    # PKCE, implicit and password grants and tokens in query strings are refused, responses carry `iss`.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "apps.oauth_clients.server.validator.CausewayValidator",
    "ACCESS_TOKEN_GENERATOR": "apps.oauth_clients.tokens.new_access_token",
    "REFRESH_TOKEN_GENERATOR": "apps.oauth_clients.tokens.new_refresh_token",
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": env.int("OAUTH_CODE_EXPIRE_SECONDS", default=60),
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OAUTH_ACCESS_TOKEN_EXPIRE_SECONDS", default=600),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env.int("OAUTH_REFRESH_TOKEN_EXPIRE_SECONDS", default=60 * 60 * 24 * 30),
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Hashed tokens cannot be handed out twice, so a second refresh of one token is refused, never answered
    # with the pair the first one got (apps/oauth_clients/server/validator.py).
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "OAUTH2_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["client_secret_basic", "client_secret_post", "none"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "client_credentials", "refresh_token"],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
}

# --- Causeway ------------------------------------------------------------------------------------------------
API_KEY_CACHE_SECONDS = env.int("API_KEY_CACHE_SECONDS", default=60)
# Rate limits (apps/core/ratelimits.py, docs/rate-limits.md): requests per RATE_LIMIT_WINDOW_SECONDS window, per
# credential for live and sandbox reads and writes, per client IP for the rest.
RATE_LIMIT_WINDOW_SECONDS = env.int("RATE_LIMIT_WINDOW_SECONDS", default=60)
RATE_LIMITS = {
    "live_read": env.int("RATE_LIMIT_LIVE_READ", default=6000),
    "live_write": env.int("RATE_LIMIT_LIVE_WRITE", default=3000),
    "sandbox_read": env.int("RATE_LIMIT_SANDBOX_READ", default=1500),
    "sandbox_write": env.int("RATE_LIMIT_SANDBOX_WRITE", default=600),
    "unauthenticated": env.int("RATE_LIMIT_UNAUTHENTICATED", default=120),
    "oauth_token": env.int("RATE_LIMIT_OAUTH_TOKEN", default=120),
    "signin": env.int("RATE_LIMIT_SIGNIN", default=30),
}
RATE_LIMIT_SIGNIN_PATHS = ["/accounts/login/", "/o/login/"]
# Proxies in front of the app that append to X-Forwarded-For (a load balancer: 1). Zero: REMOTE_ADDR is the client.
RATE_LIMIT_TRUSTED_PROXIES = env.int("RATE_LIMIT_TRUSTED_PROXIES", default=0)
# Active (not revoked, not expired) secret keys per environment; creating one more is 422 api_key_limit_reached.
API_KEY_MAX_ACTIVE = 50
# The portal's API explorer key (apps.partners.services.api_keys.explorer_key_issue) lives this long.
PORTAL_EXPLORER_KEY_MINUTES = 30
IDEMPOTENCY_KEY_TTL_HOURS = 24
# How apps.core.store sends a write of several statements on PostgreSQL: "statement" (as one statement) or
# "sequential" (one after the other, as on SQLite). Both give the same results; tests run the store through both
# (docs/performance.md has what each costs).
STORE_ROUTE = env.str("STORE_ROUTE", default="statement")

IDEMPOTENCY_LEASE_SECONDS = env.int("IDEMPOTENCY_LEASE_SECONDS", default=60)
# Outbound HTTP may reach loopback only where this is on: dev and tests, never production.
OUTBOUND_HTTP_ALLOW_LOOPBACK = False
OUTBOUND_HTTP_TIMEOUT_SECONDS = env.float("OUTBOUND_HTTP_TIMEOUT_SECONDS", default=15.0)
OUTBOUND_HTTP_MAX_RESPONSE_BYTES = 64 * 1024
SANDBOX_QUICKSTART_ENABLED = False
# How long a holder's consent lasts unless the holder picks a shorter time (docs/oauth.md).
CONSENT_DEFAULT_DAYS = env.int("CONSENT_DEFAULT_DAYS", default=90)
# The holder's session on the consent screen (apps/oauth_clients/server/holder_session.py): its own signed
# cookie, never the portal's session. One-time codes last 5 minutes and allow 5 tries.
HOLDER_SESSION_COOKIE = "cw_holder"
HOLDER_SESSION_SECONDS = 30 * 60
HOLDER_CODE_SECONDS = 5 * 60
HOLDER_CODE_ATTEMPTS = 5
# Wrong passwords on the consent screen's sign-in: after this many for one username, it is refused for a while.
HOLDER_LOGIN_ATTEMPTS = 10
HOLDER_LOGIN_LOCKOUT_SECONDS = 15 * 60
# A retired refresh token presented again within this many seconds of its rotation lost a race with a parallel
# refresh (refused alone); later it is a replay and revokes its whole family (docs/oauth.md).
OAUTH_REFRESH_RACE_SECONDS = 5
# Published one-time codes any sandbox holder may type instead of the e-mailed one (docs/oauth.md). Never
# accepted for live holders.
OAUTH_SANDBOX_TEST_CODES = ["123456"]
# The simulated bank rail: how long a submitted top-up or payout takes to settle, and how long a worker's claim
# on a due step lasts before the sweeper hands it to another worker.
TRANSFER_SETTLEMENT_DELAY_SECONDS = env.float("TRANSFER_SETTLEMENT_DELAY_SECONDS", default=3.0)
TRANSFER_LEASE_SECONDS = 30
# Keys that encrypt bank account details (apps/wallets/crypto.py): Fernet keys, comma-separated, newest first.
# The first encrypts, all decrypt, so a rotation lists the new key before the old ones. Empty (development,
# tests): one key derived from SECRET_KEY with HKDF. Production refuses to start without keys. Make one with
# `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
# The transfer risk score (docs/risk.md, "Risk score"): a new transfer scoring at least this (0-100) is held for
# review (review_reason "review") when nothing else holds it; above 100, never.
RISK_REVIEW_SCORE = env.int("RISK_REVIEW_SCORE", default=70)
# FX quotes (apps/transfers/fx.py): how long a quote's price holds, in the environment's clock.
FX_QUOTE_TTL_SECONDS = env.int("FX_QUOTE_TTL_SECONDS", default=60)

# Transaction monitoring (apps/risk/monitoring/, docs/risk.md): overrides of the rules' parameters, rule by rule, laid
# over apps.risk.monitoring.rules.DEFAULTS, e.g. {"structuring": {"min_count": 4}} or {"enabled": False}.
RISK_MONITORING: dict = {}
# How a committed posting's holders reach the worker (apps/risk/monitoring/trigger.py): "thread" (a background thread
# per process merges what committed in the last RISK_MONITORING_SEND_SECONDS into one message) or "sync" (one
# message at each commit). The thread's queue holds RISK_MONITORING_QUEUE_SIZE notes; beyond that they are dropped
# (counted and logged: the holder's next posting covers them).
RISK_MONITORING_SENDER = env.str("RISK_MONITORING_SENDER", default="thread")
RISK_MONITORING_SEND_SECONDS = 0.5
RISK_MONITORING_QUEUE_SIZE = 10_000

# --- Logging: structlog JSON on stderr, with the request id bound in ---------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="json")


def logging_config(level: str) -> dict:
    """Django's LOGGING at ``level``: Celery's lines and runserver's request lines follow it (the development
    console sets WARNING unless VERBOSE=1: config/settings/dev.py)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": "structlog.stdlib.ProcessorFormatter",
                "processor": "ext://apps.core.logging.renderer",
                "foreign_pre_chain": "ext://apps.core.logging.FOREIGN_PRE_CHAIN",
            }
        },
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "structured"}
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # With DEBUG off Django would otherwise drop 500s silently.
            "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
            "django.server": {"handlers": ["stderr"], "level": level, "propagate": False},
            "celery": {"level": level},
            # httpx logs full URLs (query strings may carry secrets) at INFO: keep it quiet.
            "httpx": {"level": "WARNING"},
            "httpcore": {"level": "WARNING"},
            # oauthlib logs whole requests (bodies with tokens, codes and client secrets) at DEBUG: never below
            # INFO, whatever LOG_LEVEL says (tests/security/test_no_secret_at_rest.py).
            "oauthlib": {"level": "INFO"},
        },
    }


LOGGING = logging_config(LOG_LEVEL)

# Periodic tasks are declared here, never edited at runtime.
CELERY_BEAT_SCHEDULE = {
    "purge-idempotency-keys": {"task": "apps.core.tasks.purge_idempotency_keys", "schedule": 3600.0},
    "notify-expiring-api-keys": {"task": "apps.events.tasks.notify_expiring_api_keys", "schedule": 3600.0},
    "purge-request-logs": {"task": "apps.partners.tasks.purge_request_logs", "schedule": 3600.0},
    "reconcile-ledger": {"task": "apps.wallets.tasks.reconcile_ledger", "schedule": 3600.0},
    # The guarantee behind rail settlement: due or orphaned top-up/payout steps are found in the database.
    "sweep-due-transfers": {
        "task": "apps.transfers.tasks.sweep_due_transfers",
        "schedule": 5.0,
        # A sweep that waited longer than the interval is superseded by the next one.
        "options": {"expires": 10.0},
    },
    "purge-expired-events": {"task": "apps.events.tasks.purge_expired_events", "schedule": 3600.0},
    # Consents: expiry (consent.expired) within a minute of expires_at, the week's notice (consent.expiring) hourly.
    "expire-consents": {"task": "apps.oauth_clients.tasks.expire_consents", "schedule": 60.0},
    "notify-expiring-consents": {"task": "apps.oauth_clients.tasks.notify_expiring_consents", "schedule": 3600.0},
    # Sandbox seed and reset requests whose message was lost are sent again (sandbox/tasks.py).
    "sweep-sandbox-requests": {"task": "sandbox.tasks.sandbox_sweep", "schedule": 300.0},
}
# Events are kept (in the feed, and for replays) this many days.
EVENT_RETENTION_DAYS = 30

# --- Webhooks (apps/webhooks/services/) --------------------------------------------------------------------------
# Delay before each attempt, in seconds: 0 s, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 28 h in all), each
# with +-10% jitter. Kept in the database as next_attempt_at, never as Celery countdowns.
WEBHOOK_RETRY_SCHEDULE = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
WEBHOOK_RETRY_JITTER = 0.1
# A worker's lease on the deliveries it claimed; a post starts only while a whole timeout still fits in it, so it
# must be longer than OUTBOUND_HTTP_TIMEOUT_SECONDS + 2 (deliver_batch refuses to run otherwise).
WEBHOOK_LEASE_SECONDS = env.int("WEBHOOK_LEASE_SECONDS", default=60)
# Deliveries per task: a task claims its own and tops up with other due ones.
WEBHOOK_BATCH_SIZE = env.int("WEBHOOK_BATCH_SIZE", default=50)
# The sweeper: how often, how long a row must have been due before it counts as orphaned, the lease it puts on
# rows it enqueues, and at most how many rows it enqueues per run.
WEBHOOK_SWEEP_SECONDS = env.float("WEBHOOK_SWEEP_SECONDS", default=2.0)
WEBHOOK_SWEEP_GRACE_SECONDS = env.int("WEBHOOK_SWEEP_GRACE_SECONDS", default=5)
WEBHOOK_SWEEP_LEASE_SECONDS = env.int("WEBHOOK_SWEEP_LEASE_SECONDS", default=30)
WEBHOOK_SWEEP_MAX_ROWS = 2000
WEBHOOK_DISABLE_AFTER_DAYS = 5
WEBHOOK_MAX_ENDPOINTS = 16
WEBHOOK_REPLAY_MAX_EVENTS = 10_000
WEBHOOK_RESPONSE_EXCERPT_BYTES = 2048
CELERY_BEAT_SCHEDULE["sweep-webhook-deliveries"] = {
    "task": "apps.webhooks.tasks.sweep_deliveries",
    "schedule": WEBHOOK_SWEEP_SECONDS,
    # A sweep that waited longer than the interval is superseded by the next one.
    "options": {"expires": WEBHOOK_SWEEP_SECONDS * 2},
}
REQUEST_LOG_RETENTION_DAYS = env.int("REQUEST_LOG_RETENTION_DAYS", default=30)
# How /v1/ request logs are written (read on every request): "thread" (a background thread per process,
# off the request path), "sync" (in the request, after the response is built) or "off".
REQUEST_LOG_WRITER = env.str("REQUEST_LOG_WRITER", default="thread")
# The thread's bounded queue (entries beyond it are dropped and counted, never waited for), its batch size and
# how long it gathers a batch. Read once, when a process first logs a request.
REQUEST_LOG_QUEUE_SIZE = 2000
REQUEST_LOG_BATCH_SIZE = 200
REQUEST_LOG_FLUSH_SECONDS = 0.5
# Each stored body is cut to this many bytes (after redaction) and marked as truncated.
REQUEST_LOG_BODY_BYTES = 4096

# --- Metrics (apps/core/metrics/, docs/operations.md) ------------------------------------------------------------
# prometheus_client's multiprocess mode: every process (gunicorn workers, runserver, Celery) writes its counters to
# files in this folder and /metrics adds them up. Exported before prometheus_client is first imported.
METRICS_DIR = metrics_dir.prepare()
# GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time). Without a token it
# answers 404, except with DEBUG on to a loopback client without credentials (`make run`).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
