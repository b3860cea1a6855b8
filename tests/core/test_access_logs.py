"""Access logs never carry a secret key sent in the query string (or as a Basic-auth user name): gunicorn's
access log format (gunicorn.conf.py) and runserver's ``django.server`` lines keep the path only."""

import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

KEY = "cw_sk_sandbox_" + "A" * 40
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def gunicorn_access_line(environ: dict[str, str], headers: list[tuple[str, str]]) -> str:
    config = Config()
    config.set("access_log_format", runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))["access_log_format"])
    logger = Logger(config)
    response = SimpleNamespace(status="401 Unauthorized", sent=120, headers=[("Request-Id", "req_abc")])
    atoms = logger.atoms_wrapper_class(logger.atoms(response, headers, environ, timedelta(milliseconds=12)))
    return config.access_log_format % atoms


class TestGunicornAccessLog:
    def test_the_line_keeps_the_path_but_not_a_key_in_the_query_string_or_basic_auth(self):
        import base64

        basic = "Basic " + base64.b64encode(f"{KEY}:".encode()).decode()
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": f"/v1/partner?key={KEY}",
            "PATH_INFO": "/v1/partner",
            "QUERY_STRING": f"key={KEY}",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "203.0.113.9",
            "HTTP_AUTHORIZATION": basic,
            "HTTP_REFERER": f"https://example.com/?key={KEY}",
        }

        line = gunicorn_access_line(environ, [("AUTHORIZATION", basic)])

        assert '"GET /v1/partner HTTP/1.1" 401' in line
        assert "req_abc" in line
        assert "cw_sk_" not in line


class TestRunserverAccessLog:
    def test_the_request_line_drops_its_query_string(self):
        handler = logging.getLogger("django.server").handlers[0]
        record = logging.LogRecord(
            "django.server",
            logging.INFO,
            __file__,
            1,
            '"%s" %s %s',
            (f"GET /v1/partner?key={KEY} HTTP/1.1", 401, 80),
            None,
        )

        line = handler.format(record)

        assert "GET /v1/partner?[query omitted] HTTP/1.1" in line
        assert "cw_sk_" not in line
