"""The calendar feed's secret token never reaches a log (config/log_redaction.py)."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from gunicorn.config import Config

from config.gunicorn_logging import RedactingLogger
from config.log_redaction import RedactFeedTokenFilter

TOKEN = "NotTheRealTokenButLongEnough_123"


@pytest.mark.parametrize("prefix", ["/editorial/planning/feed/", "/editorial/calendar/feed/"])
@pytest.mark.django_db
def test_a_feed_request_logs_no_token(prefix: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        response = Client().get(f"{prefix}{TOKEN}.ics")
    assert response.status_code == 404
    assert f"{prefix}<token>.ics" in caplog.text  # the request was logged, without the token
    assert TOKEN not in caplog.text


def test_runserver_access_lines_log_no_token() -> None:
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET /editorial/planning/feed/{TOKEN}.ics HTTP/1.1", "404", "0"),
        None,
    )
    RedactFeedTokenFilter().filter(record)
    assert record.getMessage() == '"GET /editorial/planning/feed/<token>.ics HTTP/1.1" 404 0'


def test_other_log_messages_are_left_alone() -> None:
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x/",), None
    )
    RedactFeedTokenFilter().filter(record)
    assert (record.msg, record.args) == ("Not Found: %s", ("/x/",))


def test_gunicorn_access_log_shows_no_token() -> None:
    path = f"/editorial/planning/feed/{TOKEN}.ics"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://sprachrohr.example{path}",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = RedactingLogger(Config()).atoms(response, request, environ, timedelta(seconds=1))
    assert atoms["r"] == "GET /editorial/planning/feed/<token>.ics HTTP/1.1"
    assert TOKEN not in repr(atoms)
