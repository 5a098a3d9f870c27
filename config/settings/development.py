"""Local development: `make run`. Embedded SQLite and filesystem broker unless URLs are set."""

import os

os.environ.setdefault("DEBUG", "1")
# A development-only key; production.py refuses to start without a real one.
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

from config.settings.base import *  # noqa: F403
from config.settings.base import AUDIT_ANCHOR_SIGNING_KEY
from config.settings.base import AUDIT_HMAC_KEYS
from config.settings.base import CREDENTIALS_KEYS
from config.settings.base import SANDBOX_CONTROL_SECRET
from config.settings.base import SECRET_KEY

INTERNAL_IPS = ["127.0.0.1"]

if not CREDENTIALS_KEYS:
    # Development only: a key derived from the (development) SECRET_KEY.
    import base64
    import hashlib

    CREDENTIALS_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(f"credentials:{SECRET_KEY}".encode()).digest()
        ).decode()
    ]
if not AUDIT_HMAC_KEYS:
    # Development only, like the credentials key: derived from the (development) SECRET_KEY.
    import hashlib

    AUDIT_HMAC_KEYS = {"dev": hashlib.sha256(f"audit-hmac:{SECRET_KEY}".encode()).hexdigest()}
if not AUDIT_ANCHOR_SIGNING_KEY:
    import base64
    import hashlib

    AUDIT_ANCHOR_SIGNING_KEY = base64.b64encode(
        hashlib.sha256(f"audit-anchor:{SECRET_KEY}".encode()).digest()
    ).decode()
if not SANDBOX_CONTROL_SECRET:
    SANDBOX_CONTROL_SECRET = "dev-sandbox-control"  # noqa: S105  (local fault injection)
