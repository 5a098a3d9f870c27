"""Local development: `make run`. Embedded SQLite and filesystem broker unless URLs are set."""

import os

os.environ.setdefault("DEBUG", "1")
# A development-only key; production.py refuses to start without a real one.
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

from config.settings.base import *  # noqa: F403

INTERNAL_IPS = ["127.0.0.1"]

if not CREDENTIALS_KEYS:  # noqa: F405
    # Development only: a key derived from the (development) SECRET_KEY.
    import base64
    import hashlib

    CREDENTIALS_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(f"credentials:{SECRET_KEY}".encode()).digest()  # noqa: F405
        ).decode()
    ]
if not AUDIT_HMAC_KEYS:  # noqa: F405
    # Development only, like the credentials key: derived from the (development) SECRET_KEY.
    import hashlib

    AUDIT_HMAC_KEYS = {"dev": hashlib.sha256(f"audit-hmac:{SECRET_KEY}".encode()).hexdigest()}  # noqa: F405
if not AUDIT_ANCHOR_SIGNING_KEY:  # noqa: F405
    import base64
    import hashlib

    AUDIT_ANCHOR_SIGNING_KEY = base64.b64encode(
        hashlib.sha256(f"audit-anchor:{SECRET_KEY}".encode()).digest()  # noqa: F405
    ).decode()
if not SANDBOX_CONTROL_SECRET:  # noqa: F405
    SANDBOX_CONTROL_SECRET = "dev-sandbox-control"  # noqa: S105  (local fault injection)
