"""Settings shared by every environment. Values come from the environment (see config/env.py)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import env_bool
from config.env import env_int
from config.env import env_keyed_secrets
from config.env import env_list
from config.env import env_secret
from config.env import env_str
from config.schedule import periodic
from config.schedule import routes

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("SPRACHROHR_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Without SITE_URL: the address `make run` serves on (WEB_PORT, set from `make run PORT=…`;
# the sandbox posts to it, and links in e-mails point there).
SITE_URL = env_str("SITE_URL", f"http://localhost:{env_str('WEB_PORT', '8000')}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's form templates for FORM_RENDERER below.
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mozilla_django_oidc",
    "accounts",
    "channels_app",
    # The built-in sandbox platform's models. Always installed, also with SANDBOX_ENABLED off
    # (which only unmounts /sandbox/ and refuses sandbox channels): its tables already exist in
    # every installation that ran channels_app's migrations, the migration graph stays the same
    # in every environment, and switching the sandbox on or off later needs no migrate.
    "channels_app.sandbox",
    "editorial",
    "moderation",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accounts.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: its 400s pass through every middleware above (language, headers).
    "accounts.middleware.MalformedInputMiddleware",
]

# Forms render with the project's templates, so templates/django/forms/field.html lays out every
# field of every form the same way (a checkbox before its label, groups as fieldsets).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "accounts.practice.context_processors.practice",
                "editorial.crisis.context_processors.crisis",
                "editorial.publishing.context_processors.service_status",
            ],
        },
    },
]

# Embedded default: SQLite in var/ so that `make run` needs no server at all.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sprachrohr.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # One connection pool per process: the publishing worker's many threads wait mostly on
    # platforms and hand their connection back meanwhile, so a few connections serve them
    # all (PostgreSQL allows 100 by default). Pooled connections are returned after each
    # request or task instead of being kept per thread.
    DATABASES["default"]["ENGINE"] = "config.postgresql"  # its pool checks idle connections
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": env_bool("DATABASE_SERVER_SIDE_BINDING", True),
        # Django turns psycopg's prepared statements off (for poolers in transaction mode);
        # on: a query repeated on a connection is parsed and planned once. 0 = off.
        "prepare_threshold": env_int("DATABASE_PREPARE_THRESHOLD", 5, minimum=0) or None,
        "pool": {
            "min_size": 1,
            "max_size": env_int("DATABASE_POOL_SIZE", 10, minimum=1),
            # Waiting longer for a free connection than this is an overload (or the database
            # is down): the request or task fails instead of hanging.
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10, minimum=1),
        },
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Web server, worker threads and beat share the embedded database: write-ahead log,
    # wait for a lock instead of failing at once, and take the write lock when a
    # transaction starts (no "database is locked" upgrade failures mid-transaction).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sprachrohr",
            # A Redis that hangs must not hang every page that reads the cache with it: a
            # request fails fast and the worker is free again.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    # Shared between web, worker and beat processes, unlike locmem.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.EmailBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = env_int("INVITE_LINK_VALID_SECONDS", 3 * 24 * 3600, minimum=600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator"},
]

# Sessions end after this much inactivity: every request pushes the expiry forward.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy on every response (accounts/security.py): scripts and styles only
# from the application's own files, no inline code, no plugins, no framing. data: images are
# the QR code on the two-factor setup page (an inline SVG data URL). The Swagger UI at
# /api/docs/ needs no exception (config/urls.py); the OAuth connect page of a channel widens
# form-action (channels_app/views.py).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

LOGIN_LOCKOUT = {
    "ACCOUNT_LIMIT": env_int("LOGIN_LOCKOUT_ACCOUNT_LIMIT", 5, minimum=1),
    # An office behind one NAT address shares an IP: a higher limit than per account.
    "IP_LIMIT": env_int("LOGIN_LOCKOUT_IP_LIMIT", 30, minimum=1),
    "SECONDS": env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1) * 60,
}

# Roles that must use TOTP two-factor authentication; system and channel admins always must.
TWO_FACTOR_REQUIRED_ROLES = sorted(
    {"system_admin", "channel_admin", *env_list("TWO_FACTOR_REQUIRED_ROLES", [])}
)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Sprachrohr")

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our date formats per language where Django's do not fit (config/formats/<language>/).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The role guides' screenshots (docs/guide/img), for the guides served in the product.
STATICFILES_DIRS = [BASE_DIR / "static", ("guide/img", BASE_DIR / "docs" / "guide" / "img")]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Sprachrohr <sprachrohr@localhost>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.ApiTokenAuthentication",
        "accounts.api_auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "accounts.api_schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [],
    # JSON bodies must be objects; multipart fields without NUL or invalid Unicode.
    "DEFAULT_PARSER_CLASSES": [
        "accounts.parsers.JSONObjectParser",
        "rest_framework.parsers.FormParser",
        "accounts.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "accounts.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sprachrohr API",
    "DESCRIPTION": "Social media back office for public authorities.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Request bodies get their own components: required text has minLength 1 there.
    "COMPONENT_SPLIT_REQUEST": True,
    # Enum components as drf-spectacular makes them, then every operation's error answers.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "accounts.api_schema.document_error_answers",
    ],
    # Several models have a "status" field with different choices: name each set.
    "ENUM_NAME_OVERRIDES": {
        "ChannelStatusEnum": "channels_app.models.Channel.Status",
        "PostStatusEnum": "editorial.models.Post.Status",
        "VariantStatusEnum": "editorial.models.PostVariant.Status",
        "ReplyStatusEnum": "moderation.models.Reply.Status",
        "InboxItemKindEnum": "moderation.models.InboxItem.Kind",
        "InboxItemStatusEnum": "moderation.models.InboxItem.Status",
        "BlockStatusEnum": "moderation.models.BlockEntry.Status",
        "DataSubjectRequestKindEnum": "moderation.models.DataSubjectRequest.Kind",
    },
}

# django-guardian: no anonymous object permissions in an authority's back office.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# "localhost" only keeps kombu from warning; the filesystem transport uses no host.
CELERY_BROKER_URL = REDIS_URL or "filesystem://localhost/"
if not REDIS_URL:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    # kombu's filesystem transport with atomic writes: several processes read and write the
    # folder at once, and the original let a worker read a half-written file (issue 13).
    CELERY_BROKER_TRANSPORT = "config.broker:Transport"
else:
    # Longer than the longest task may run, or Redis hands an unacked task to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=60)
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    **routes("publishing", "editorial.publishing.tasks.publish_variant"),
    **routes("mail", "accounts.tasks.send_notification_email"),
    **routes(
        "default",
        "accounts.tasks.record_worker_heartbeat",
        "accounts.audit_checkpoints.tasks.audit_checkpoint",
    ),
}
# How often beat looks for due posts; those due before the next look are queued ahead.
PUBLISH_DISPATCH_SECONDS = env_int("PUBLISH_DISPATCH_SECONDS", 5, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": periodic(
        "accounts.tasks.record_worker_heartbeat", timedelta(seconds=30), expires=25
    ),
    # The publishing service consumes only its own queue: without a heartbeat of its own it
    # could be dead while the background service reports fine (issue 13).
    "publisher-heartbeat": periodic(
        "accounts.tasks.record_worker_heartbeat",
        timedelta(seconds=30),
        args=("publishing",),
        expires=25,
        queue="publishing",
    ),
    # The audit log's external anchor: the chain head signed and e-mailed to the auditors.
    "audit-checkpoint": periodic(
        "accounts.audit_checkpoints.tasks.audit_checkpoint",
        crontab(hour=3, minute=15),  # Berlin time, outside the DST switch hour
    ),
}
CELERY_BEAT_SCHEDULE.update(
    {
        "channels-refresh-credentials": periodic(
            "channels_app.tasks.refresh_expiring_credentials", timedelta(minutes=30)
        ),
        "publishing-dispatch": periodic(
            "editorial.publishing.tasks.dispatch_due_variants",
            # The database is scanned often: a post planned for 09:00 leaves at 09:00.
            timedelta(seconds=PUBLISH_DISPATCH_SECONDS),
            expires=30,
        ),
        "editorial-extend-recurring-series": periodic(
            "editorial.post_templates.tasks.extend_recurring_series", timedelta(minutes=15)
        ),
        "editorial-plan-weekly-formats": periodic(
            "editorial.weekly_formats.tasks.plan_weekly_formats",
            crontab(hour=2, minute=45),  # Berlin time, once a day
        ),
        "editorial-expire-approvals": periodic(
            "editorial.posts.tasks.expire_approvals", timedelta(minutes=15)
        ),
        "channels-expiry-warnings": periodic(
            "channels_app.tasks.warn_about_expiring_channels", timedelta(hours=6)
        ),
    }
)
# Moderation: ingestion polls often (each channel stream at most every
# MODERATION_POLL_SECONDS); the rest are sweeps and reminders.
MODERATION_POLL_SECONDS = env_int("MODERATION_POLL_SECONDS", 60, minimum=5)
CELERY_TASK_ROUTES.update(
    {
        **routes(
            "ingest",
            "moderation.ingestion.tasks.dispatch_ingestion",
            "moderation.ingestion.tasks.ingest_stream",
        ),
        **routes(
            "publishing",
            "moderation.replies.tasks.send_reply",
            "moderation.actions.tasks.carry_out_action",
            "moderation.blocks.tasks.block_on_platform",
            "moderation.blocks.tasks.unblock_on_platform",
        ),
    }
)
CELERY_BEAT_SCHEDULE.update(
    {
        "moderation-dispatch-ingestion": periodic(
            "moderation.ingestion.tasks.dispatch_ingestion",
            timedelta(seconds=15),
            until_next=True,
        ),
        "moderation-dispatch-replies": periodic(
            "moderation.replies.tasks.dispatch_due_replies",
            timedelta(seconds=30),
            until_next=True,
        ),
        "moderation-retry-actions": periodic(
            "moderation.actions.tasks.retry_pending_actions",
            timedelta(minutes=1),
            until_next=True,
        ),
        "moderation-wake-snoozed": periodic(
            "moderation.inbox.tasks.wake_snoozed_items", timedelta(minutes=5)
        ),
        "moderation-block-reviews": periodic(
            "moderation.blocks.tasks.remind_due_block_reviews", timedelta(hours=1)
        ),
        "moderation-block-platform-requeue": periodic(
            "moderation.blocks.tasks.requeue_block_platform_calls",
            timedelta(minutes=5),
            until_next=True,
        ),
        "moderation-prosecution-deadlines": periodic(
            "moderation.evidence.tasks.remind_prosecution_deadlines", timedelta(hours=1)
        ),
        "moderation-retention": periodic(
            "moderation.privacy.tasks.apply_retention", timedelta(hours=1)
        ),
    }
)
# Analytics: readings of post metrics are looked for every few minutes (each post is read
# at fixed ages, ``analytics.models.SNAPSHOT_BUCKETS``); channel figures once a day,
# looked for hourly so that a rate-limited channel catches up the same day.
ANALYTICS_SNAPSHOT_DISPATCH_SECONDS = env_int("ANALYTICS_SNAPSHOT_DISPATCH_SECONDS", 600, minimum=1)
CELERY_TASK_ROUTES.update(
    routes(
        "analytics",
        "analytics.metrics.tasks.dispatch_due_snapshots",
        "analytics.metrics.tasks.dispatch_channel_figures",
        "analytics.metrics.tasks.fetch_channel_snapshots",
        "analytics.metrics.tasks.fetch_channel_figure",
    )
)
CELERY_BEAT_SCHEDULE.update(
    {
        "analytics-dispatch-snapshots": periodic(
            "analytics.metrics.tasks.dispatch_due_snapshots",
            timedelta(seconds=ANALYTICS_SNAPSHOT_DISPATCH_SECONDS),
            until_next=True,
        ),
        "analytics-dispatch-channel-figures": periodic(
            "analytics.metrics.tasks.dispatch_channel_figures",
            timedelta(hours=1),
            until_next=True,
        ),
    }
)
# Records exports (analytics.records): built on request; the ZIPs are deleted after
# RECORDS_EXPORT_RETENTION_DAYS (the e-file system keeps the record), looked for daily. A
# build whose worker died is taken over by the next delivery after the lease.
RECORDS_EXPORT_RETENTION_DAYS = env_int("RECORDS_EXPORT_RETENTION_DAYS", 30, minimum=1)
RECORDS_EXPORT_LEASE_SECONDS = env_int("RECORDS_EXPORT_LEASE_SECONDS", 3600, minimum=60)
CELERY_TASK_ROUTES.update(
    routes(
        "analytics",
        "analytics.records.tasks.build_records_export",
        "analytics.records.tasks.delete_expired_records_exports",
    )
)
CELERY_BEAT_SCHEDULE["analytics-records-retention"] = periodic(
    "analytics.records.tasks.delete_expired_records_exports", crontab(hour=4, minute=40)
)
# Monthly reports: on the first of each month at 06:00 Berlin time (CELERY_TIMEZONE), the
# previous month's report of every unit that has it switched on.
CELERY_TASK_ROUTES.update(
    routes(
        "analytics",
        "analytics.reports.tasks.dispatch_monthly_reports",
        "analytics.reports.tasks.build_report",
    )
)
CELERY_BEAT_SCHEDULE["analytics-monthly-reports"] = periodic(
    "analytics.reports.tasks.dispatch_monthly_reports",
    crontab(day_of_month="1", hour="6", minute="0"),
)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = TIME_ZONE
PLATFORM_READ_TIMEOUT = env_int("PLATFORM_READ_TIMEOUT", 30, minimum=1)
PUBLISH_CLAIM_LEASE_SECONDS = env_int("PUBLISH_CLAIM_LEASE_SECONDS", 900, minimum=1)
# A queued variant not yet claimed after this long is queued again (the broker may have lost it).
PUBLISH_REQUEUE_AFTER_SECONDS = env_int("PUBLISH_REQUEUE_AFTER_SECONDS", 60, minimum=1)
# First retry delay after a temporary error; doubled per attempt (jitter, at most 15 minutes).
PUBLISH_RETRY_BASE_SECONDS = env_int("PUBLISH_RETRY_BASE_SECONDS", 15, minimum=1)
PUBLISH_RETRY_DEADLINE_MINUTES = env_int("PUBLISH_RETRY_DEADLINE_MINUTES", 120, minimum=1)
WORKER_HEARTBEAT_MAX_AGE = timedelta(seconds=env_int("WORKER_HEARTBEAT_MAX_AGE", 120, minimum=30))
# Every page tells the people who can act when a service's heartbeat is older than the above
# (editorial.publishing.context_processors). Off only in the test settings, which run no
# Celery: the tests about the banner switch it on.
SERVICE_BANNER_ENABLED = env_bool("SERVICE_BANNER_ENABLED", True)

OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.insert(0, "accounts.oidc.SprachrohrOIDCBackend")
    OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_secret("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
    OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "Single Sign-On")
    OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10, minimum=1)  # never hang a login on the IdP
    # Only invited people may log in: SSO links to existing accounts by e-mail.
    OIDC_CREATE_USER = False
    LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"

# Channel credentials are encrypted with these Fernet keys (comma-separated, newest first).
# Rotation: put a new key first, restart, run `manage.py rotate_credentials_key`, then drop
# the old key. Development derives a key from SECRET_KEY; production requires real keys.
CREDENTIALS_KEYS = [k.strip() for k in env_secret("CREDENTIALS_KEYS", "").split(",") if k.strip()]

# Tamper evidence of the audit log (docs/audit.md). Entry hashes are HMAC-SHA256 under these
# keys, "id:secret" comma-separated, newest first: the first keys new entries, the others
# still verify older ones. The database never holds them, so whoever can only rewrite the
# database cannot recompute the chain. Development derives a key from SECRET_KEY; production
# requires real keys.
AUDIT_HMAC_KEYS = env_keyed_secrets("AUDIT_HMAC_KEYS")
# The Ed25519 private key (base64 of its 32 bytes) that signs the daily checkpoint of the
# chain head, e-mailed to the auditors; public keys of retired signing keys (base64,
# comma-separated) keep their checkpoints verifiable.
AUDIT_ANCHOR_SIGNING_KEY = env_secret("AUDIT_ANCHOR_SIGNING_KEY", "")
AUDIT_ANCHOR_RETIRED_KEYS = env_list("AUDIT_ANCHOR_RETIRED_KEYS", [])

# OAuth apps the authority registers at the platforms (client secrets: <NAME>_FILE works).
META_APP_ID = env_str("META_APP_ID", "")
META_APP_SECRET = env_secret("META_APP_SECRET", "")
# Threads has its own app id and secret in the Meta app dashboard; falls back to META_*.
THREADS_APP_ID = env_str("THREADS_APP_ID", "")
THREADS_APP_SECRET = env_secret("THREADS_APP_SECRET", "")
X_CLIENT_ID = env_str("X_CLIENT_ID", "")
X_CLIENT_SECRET = env_secret("X_CLIENT_SECRET", "")
LINKEDIN_CLIENT_ID = env_str("LINKEDIN_CLIENT_ID", "")
LINKEDIN_CLIENT_SECRET = env_secret("LINKEDIN_CLIENT_SECRET", "")
GOOGLE_CLIENT_ID = env_str("GOOGLE_CLIENT_ID", "")
GOOGLE_CLIENT_SECRET = env_secret("GOOGLE_CLIENT_SECRET", "")
# Channels whose access runs out within this many days are flagged and their admins e-mailed.
CHANNEL_EXPIRY_WARNING_DAYS = env_int("CHANNEL_EXPIRY_WARNING_DAYS", 14, minimum=1)

# Media library: uploads above this size are refused while they arrive (not stored first).
MEDIA_MAX_UPLOAD_MB = env_int("MEDIA_MAX_UPLOAD_MB", 150, minimum=1)
# Images with more pixels are refused as possible decompression bombs.
MEDIA_MAX_IMAGE_PIXELS = env_int("MEDIA_MAX_IMAGE_PIXELS", 40_000_000, minimum=1_000_000)

# The built-in sandbox platform (channels_app.sandbox) is served by Sprachrohr itself.
SANDBOX_ENABLED = env_bool("SANDBOX_ENABLED", True)
SANDBOX_BASE_URL = env_str("SANDBOX_BASE_URL", f"{SITE_URL}/sandbox/api/v1").rstrip("/")
# Fault injection (slow, 500, 429, expired token) needs this shared secret; empty: off.
SANDBOX_CONTROL_SECRET = env_secret("SANDBOX_CONTROL_SECRET", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # The calendar feed's secret token never appears in a logged address (config/log_redaction.py).
    "filters": {"redact_feed_token": {"()": "config.log_redaction.RedactFeedTokenFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Celery's two lines per task (received, succeeded) cost the publisher about a
    # millisecond of CPU per post under load, and every outcome is in the attempt log and
    # the audit trail anyway; failures are still logged (ERROR). TASK_LOG_LEVEL=INFO: back.
    "loggers": {
        **{
            name: {"level": env_str("TASK_LOG_LEVEL", "WARNING")}
            for name in ("celery.app.trace", "celery.worker.strategy")
        },
        "django.request": {"filters": ["redact_feed_token"]},
        # WeasyPrint (analytics PDFs) narrates every rendering step at INFO, from its import on.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # runserver's access log; configuring it replaces Django's own handler for it.
        "django.server": {
            "filters": ["redact_feed_token"],
            "handlers": ["console"],
            "propagate": False,
        },
    },
}
