"""Tests: real PostgreSQL and Redis (DEVELOPERS.md), fast password hashing."""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sprachrohr")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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

# Two fixed keys: tests rotate from the second to the first.
CREDENTIALS_KEYS = ["M0Bq1dNn2mNWb0GxDPHq_jA3ivuD5rI-r0Wbn9-z3_c="]
SANDBOX_CONTROL_SECRET = "test-sandbox-control"  # noqa: S105
