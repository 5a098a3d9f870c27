"""Tests: real PostgreSQL and Redis (DEVELOPERS.md), fast password hashing."""

import atexit
import os
import shutil
import tempfile
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sprachrohr")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
# `make test` runs the suite in several processes (pytest-xdist). pytest-django gives each its
# own test database; here each gets its own pair of Redis databases below the given one
# (gw0: 15 and 14, gw1: 13 and 12, …). Derived once: the Celery processes a test starts
# inherit the derived address and the marker with the environment.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker.startswith("gw") and not os.environ.get("SPRACHROHR_TEST_REDIS_OF_WORKER"):
    _given = urlsplit(os.environ["REDIS_URL"])
    _db = int(_given.path.strip("/") or 0) - 2 * int(_xdist_worker.removeprefix("gw"))
    _db = (_db - 1) % 15 + 1  # 1…15: the cache takes the database below
    os.environ["REDIS_URL"] = urlunsplit(_given._replace(path=f"/{_db}"))
    os.environ["SPRACHROHR_TEST_REDIS_OF_WORKER"] = _xdist_worker
# Everything base.py puts under VAR_DIR (uploads above all) goes to a temporary directory of
# this process, never into the checkout's var/, which a development server may be using.
# One per xdist worker, made at import and removed at exit by the process that made it; the
# processes a test starts (Celery workers, subprocess checks) inherit it with the environment,
# so a worker reads the files its test uploaded.
if (
    not os.environ.get("SPRACHROHR_TEST_VAR_DIR")
    or os.environ.get("SPRACHROHR_TEST_VAR_OF_WORKER") != _xdist_worker
):
    _var_dir = tempfile.mkdtemp(prefix=f"sprachrohr-test-{_xdist_worker or 'main'}-")
    _var_owner = os.getpid()

    def _remove_var_dir() -> None:
        # Not from a forked child that exits normally: the directory is still in use.
        if os.getpid() == _var_owner:
            shutil.rmtree(_var_dir, ignore_errors=True)

    atexit.register(_remove_var_dir)
    os.environ["SPRACHROHR_TEST_VAR_DIR"] = _var_dir
    os.environ["SPRACHROHR_TEST_VAR_OF_WORKER"] = _xdist_worker
os.environ["SPRACHROHR_VAR_DIR"] = os.environ["SPRACHROHR_TEST_VAR_DIR"]

from config.settings.base import *  # noqa: E402, F403 (after the environment is prepared)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Not even a MEDIA_ROOT of the environment (a developer's shell) leads the uploads elsewhere.
MEDIA_ROOT = VAR_DIR / "media"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each test clears the cache (FLUSHDB): it must not share a Redis database with the broker,
# whose queue bindings would vanish with it.
_broker = urlsplit(REDIS_URL)  # noqa: F405
_broker_db = int(_broker.path.strip("/") or 0)
_cache_db = _broker_db - 1 if _broker_db > 0 else 1
CACHES["default"]["LOCATION"] = urlunsplit(_broker._replace(path=f"/{_cache_db}"))  # noqa: F405
# Static files straight from the source folders, as in development (no collectstatic).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Several test runs on one machine (parallel checkouts) each need their own database.
DATABASES["default"]["TEST"] = {  # noqa: F405
    "NAME": os.environ.get("TEST_DATABASE_NAME", "test_sprachrohr")
}

# A test whose second connection (live server, worker thread, subprocess) waits for a lock its
# own open transaction holds would hang without end, the processes idle: tests/world.py's
# module transaction, for one, holds the audit chain head, which the second connection's first
# audit entry waits for. After a minute the waiting statement fails instead, naming the table.
if DATABASES["default"]["ENGINE"] == "config.postgresql":  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] = "-c lock_timeout=60s"  # noqa: F405

# Two fixed keys: tests rotate from the second to the first.
CREDENTIALS_KEYS = ["M0Bq1dNn2mNWb0GxDPHq_jA3ivuD5rI-r0Wbn9-z3_c="]
SANDBOX_CONTROL_SECRET = "test-sandbox-control"  # noqa: S105
# Fixed audit keys (tests of rotation add a second one), never those of the environment.
AUDIT_HMAC_KEYS = {"test-1": "test-only-audit-hmac-key-0123456789abcdef"}
AUDIT_ANCHOR_SIGNING_KEY = "dGVzdC1vbmx5LWF1ZGl0LWFuY2hvci1rZXktMzJieXQ="
AUDIT_ANCHOR_RETIRED_KEYS = []

# No Celery runs under the tests: the banner about silent services would be on every page.
# The tests about it switch it on (tests/editorial/publishing/test_service_status.py, e2e).
SERVICE_BANNER_ENABLED = False
