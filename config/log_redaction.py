"""Secrets in request addresses never reach a log.

The calendar feed's address holds its secret token (``/editorial/planning/feed/<token>.ics``
and the old ``/editorial/calendar/feed/<token>.ics``). Anyone who reads the web server's log
could subscribe with it. ``redact_path`` replaces the token with ``<token>``; it is applied to
Django's ``django.request`` and ``django.server`` records (``RedactFeedTokenFilter`` in
``LOGGING``) and to gunicorn's access log (``config.gunicorn_logging.RedactingLogger``).
"""

from __future__ import annotations

import logging
import re

FEED_TOKEN = re.compile(r"(/editorial/(?:planning|calendar)/feed/)[^/?#\s\"']+?(\.ics)")
REDACTED = r"\1<token>\2"


def redact_path(text: str) -> str:
    """``text`` with every calendar feed token replaced by ``<token>``."""
    return FEED_TOKEN.sub(REDACTED, text)


class RedactFeedTokenFilter(logging.Filter):
    """Rewrites a record's message (and the request path attached to it) without the token."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_path(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str) and redact_path(path) != path:
            # Formatters and error e-mails that show the request: not the token either.
            record.request = None
        return True
