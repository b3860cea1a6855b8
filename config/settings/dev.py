"""Local development: the embedded default, DEBUG on, console e-mail, loopback webhooks allowed."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
OUTBOUND_HTTP_ALLOW_LOOPBACK = True
SANDBOX_QUICKSTART_ENABLED = True
WHITENOISE_USE_FINDERS = True
# Loopback OAuth callbacks (http://localhost:3000/callback) for local apps; production allows https only.
OAUTH2_PROVIDER = {**OAUTH2_PROVIDER, "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"]}  # noqa: F405
