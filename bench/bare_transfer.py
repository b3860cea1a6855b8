"""The scale reference for bench/transfers.py: a bare DRF endpoint doing a transfer's minimum, served by the
same gunicorn in the same run.

``POST /v1/transfers`` here parses and validates the JSON body with a DRF serializer, then in one transaction
locks the two accounts (``SELECT ... FOR UPDATE`` in key order), checks the balance, updates both and inserts
one transfer row: two locked updates and one insert, no authentication, idempotency, limits, ledger, events or
request log. It accepts the body bench/transfers.lua sends (source and destination are account numbers as
strings). Configured from ``BARE_DATABASE_URL``; the harness creates its two tables (``BARE_SCHEMA`` there).
Not part of the platform.
"""

import os
from urllib.parse import unquote, urlsplit

from django.conf import settings

_url = urlsplit(os.environ.get("BARE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/causeway_bench_bare"))
if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("BARE_SECRET_KEY", "bench-only-" + "x" * 40),
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"],
        MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": _url.path.lstrip("/"),
                "USER": unquote(_url.username or "postgres"),
                "PASSWORD": unquote(_url.password or ""),
                "HOST": _url.hostname or "127.0.0.1",
                "PORT": str(_url.port or 5432),
                "CONN_MAX_AGE": 60,
            }
        },
        REST_FRAMEWORK={
            "DEFAULT_AUTHENTICATION_CLASSES": [],
            "DEFAULT_PERMISSION_CLASSES": [],
            "UNAUTHENTICATED_USER": None,
        },
    )

import django  # noqa: E402

django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402
from rest_framework import serializers  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402


class TransferInput(serializers.Serializer):
    source = serializers.IntegerField(min_value=1)
    destination = serializers.IntegerField(min_value=1)
    amount = serializers.IntegerField(min_value=1)


class TransferApi(APIView):
    def post(self, request: Request) -> Response:
        data = TransferInput(data=request.data)
        data.is_valid(raise_exception=True)
        source, destination, amount = (data.validated_data[k] for k in ("source", "destination", "amount"))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, balance FROM acct WHERE id IN (%s, %s) ORDER BY id FOR UPDATE", [source, destination]
            )
            balances = dict(cursor.fetchall())
            if len(balances) != 2 or source == destination:
                return Response({"status": "failed", "code": "resource_missing"}, status=404)
            if balances[source] < amount:
                return Response({"status": "failed", "code": "insufficient_funds"}, status=422)
            cursor.execute("UPDATE acct SET balance = balance - %s WHERE id = %s", [amount, source])
            cursor.execute("UPDATE acct SET balance = balance + %s WHERE id = %s", [amount, destination])
            cursor.execute(
                "INSERT INTO xfer (src, dst, amount, at) VALUES (%s, %s, %s, now()) RETURNING id",
                [source, destination, amount],
            )
            (transfer_id,) = cursor.fetchone()
        return Response(
            {"id": transfer_id, "status": "succeeded", "source": source, "destination": destination, "amount": amount},
            status=201,
        )


def health(request: HttpRequest) -> HttpResponse:
    """What the harness polls to know the server is up, as on the platform."""
    return HttpResponse("ok")


urlpatterns = [path("v1/transfers", TransferApi.as_view()), path("health/", health)]
application = get_wsgi_application()
