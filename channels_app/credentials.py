"""Encryption at rest for channel credentials and OAuth app secrets.

The only module that sees plaintext credentials besides the adapters. Keys come from
``settings.CREDENTIALS_KEYS`` (newest first): ``MultiFernet`` decrypts with any of them and
encrypts with the first, so rotating is "add a key in front, re-encrypt, drop the old one"
without downtime.
"""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from typing import Any

from cryptography.fernet import Fernet
from cryptography.fernet import InvalidToken
from cryptography.fernet import MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from channels_app.models import Channel
from channels_app.models import ChannelCredential
from channels_app.models import OAuthApp


class CredentialsUnreadableError(Exception):
    """No configured key decrypts the stored value: a key was removed too early."""


def _fernet() -> MultiFernet:
    keys = settings.CREDENTIALS_KEYS
    if not keys:
        raise ImproperlyConfigured(
            "CREDENTIALS_KEYS is empty: channel credentials cannot be stored."
        )
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "CREDENTIALS_KEYS contains a value that is not a Fernet key (32 url-safe base64 bytes)."
        ) from None


def encrypt_json(data: dict[str, Any]) -> str:
    return _fernet().encrypt(json.dumps(data, sort_keys=True).encode()).decode()


def decrypt_json(ciphertext: str) -> dict[str, Any]:
    try:
        return json.loads(_fernet().decrypt(ciphertext.encode()))
    except InvalidToken:
        raise CredentialsUnreadableError(
            "Stored credentials cannot be decrypted with the configured CREDENTIALS_KEYS."
        ) from None


def encrypt_text(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt_text(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        raise CredentialsUnreadableError(
            "A stored secret cannot be decrypted with the configured CREDENTIALS_KEYS."
        ) from None


def _expiry(data: dict[str, Any], key: str) -> datetime | None:
    value = data.get(key)
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def credentials_write(channel: Channel, data: dict[str, Any], *, renewable: bool = False) -> None:
    """Store (replace) the channel's credentials; keeps ``access_expires_at`` and
    ``reconnect_by`` in step. ``renewable``: the platform renews the access by itself
    (``PlatformAdapter.renews_access``). Callers audit the change (that it happened, never
    the values)."""
    ChannelCredential.objects.update_or_create(
        channel=channel,
        defaults={
            "ciphertext": encrypt_json(data),
            "refresh_expires_at": _expiry(data, "refresh_expires_at"),
            "updated_at": timezone.now(),
        },
    )
    channel.access_expires_at = _expiry(data, "expires_at")
    channel.reconnect_by = (
        _expiry(data, "refresh_expires_at") if renewable else channel.access_expires_at
    )
    channel.expiry_warning_sent_at = None
    channel.save(update_fields=["access_expires_at", "reconnect_by", "expiry_warning_sent_at"])


def credentials_read(channel: Channel, *, preloaded: bool = False) -> dict[str, Any]:
    """``preloaded``: the channel was read with ``select_related("credential")`` just now
    (an older instance's cached row could hold a rotated or replaced secret)."""
    if preloaded:
        credential = getattr(channel, "credential", None)
    else:
        credential = ChannelCredential.objects.filter(channel=channel).first()
    return decrypt_json(credential.ciphertext) if credential else {}


@transaction.atomic
def credentials_rotate_all() -> int:
    """Re-encrypt every stored secret with the newest key; returns how many were rewritten."""
    fernet = _fernet()
    count = 0
    for credential in ChannelCredential.objects.select_for_update():
        credential.ciphertext = fernet.rotate(credential.ciphertext.encode()).decode()
        credential.save(update_fields=["ciphertext"])
        count += 1
    for app in OAuthApp.objects.select_for_update():
        app.client_secret_ciphertext = fernet.rotate(app.client_secret_ciphertext.encode()).decode()
        app.save(update_fields=["client_secret_ciphertext"])
        count += 1
    return count
