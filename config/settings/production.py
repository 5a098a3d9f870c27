"""Production: every secret from the environment, HTTPS-only cookies, HSTS."""

import base64
import binascii

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool
from config.env import env_int
from config.env import env_str
from config.settings.base import *  # noqa: F403
from config.settings.base import ALLOWED_HOSTS
from config.settings.base import DATABASES
from config.settings.base import DEBUG
from config.settings.base import REDIS_URL
from config.settings.base import SECRET_KEY

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be 0 with config.settings.production.")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters of random data.")
if DATABASES["default"]["ENGINE"] != "config.postgresql":
    raise ImproperlyConfigured("Production needs DATABASE_URL pointing at PostgreSQL.")
env_str("REDIS_URL")  # required: the embedded filesystem broker is for development only
env_str("ALLOWED_HOSTS")
if not CREDENTIALS_KEYS:  # noqa: F405
    raise ImproperlyConfigured(
        "CREDENTIALS_KEYS (or CREDENTIALS_KEYS_FILE) is required: comma-separated Fernet keys,"
        " newest first. Create one with: python -c 'from cryptography.fernet import Fernet;"
        " print(Fernet.generate_key().decode())'"
    )
if not AUDIT_HMAC_KEYS:  # noqa: F405
    raise ImproperlyConfigured(
        "AUDIT_HMAC_KEYS (or AUDIT_HMAC_KEYS_FILE) is required: id:secret, newest first."
        " Create one with: python -c 'import secrets, time;"
        ' print(time.strftime("%Y-%m") + ":" + secrets.token_urlsafe(48))\''
    )
if not AUDIT_ANCHOR_SIGNING_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "AUDIT_ANCHOR_SIGNING_KEY (or AUDIT_ANCHOR_SIGNING_KEY_FILE) is required: an Ed25519"
        " private key as base64 of 32 bytes. Create one with: python -c 'import base64, os;"
        " print(base64.b64encode(os.urandom(32)).decode())'"
    )
try:
    _anchor_key_length = len(base64.b64decode(AUDIT_ANCHOR_SIGNING_KEY, validate=True))  # noqa: F405
except binascii.Error:
    _anchor_key_length = 0
if _anchor_key_length != 32:
    raise ImproperlyConfigured("AUDIT_ANCHOR_SIGNING_KEY is not base64 of 32 bytes.")
# Set but empty is no better: base.py would fall back to the filesystem broker and file cache,
# and an empty host list answers every request with 400.
if not REDIS_URL.strip():
    raise ImproperlyConfigured("REDIS_URL is empty: production needs a Redis URL.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is empty: production needs at least one host name.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Client address from X-Forwarded-For (accounts.audit.client_ip: audit log, login lockout per
# address): the rightmost entry, the one the authority's reverse proxy appended.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Links in e-mails (invitations, notifications) must point at the real address.
SITE_URL = env_str("SITE_URL").rstrip("/")
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must be the public https:// address of Sprachrohr.")
# The built-in test platform: off in production unless an authority wants it for training.
SANDBOX_ENABLED = env_bool("SANDBOX_ENABLED", False)
SANDBOX_BASE_URL = env_str("SANDBOX_BASE_URL", f"{SITE_URL}/sandbox/api/v1").rstrip("/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
