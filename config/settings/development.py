"""Local development: `make run`. Embedded SQLite and filesystem broker unless URLs are set."""

import os

os.environ.setdefault("DEBUG", "1")
# A development-only key; production.py refuses to start without a real one.
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

from config.settings.base import *  # noqa: F403

INTERNAL_IPS = ["127.0.0.1"]
