"""gunicorn's access log without the calendar feed's secret token (see config.log_redaction).

Started with ``--logger-class config.gunicorn_logging.RedactingLogger`` (Dockerfile).
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from config.log_redaction import redact_path


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        # Every text atom: the request line, path, referrer, and the {header}i / {variable}e
        # atoms a custom access_log_format may use.
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {k: redact_path(v) if isinstance(v, str) else v for k, v in atoms.items()}
