"""Strict reading of settings from the environment.

A malformed value stops start-up with a message naming the variable, so that a typo in a
deployment never turns into a silently different configuration. Secrets may come from
``<NAME>_FILE`` (Docker/Kubernetes secrets) instead of the variable itself.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_MISSING = object()


def _raw(name: str) -> str | None:
    return os.environ.get(name)


def env_str(name: str, default: str | object | None = _MISSING) -> str:
    value = _raw(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return default  # type: ignore[return-value]
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    normalised = value.strip().lower()
    if normalised in _TRUE:
        return True
    if normalised in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={value!r} is not a boolean (use 1/0, true/false, yes/no)."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} is not a whole number."
        ) from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"Environment variable {name}={number} must be >= {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, default: str | object | None = _MISSING) -> str:
    """Read a secret from ``NAME`` or from the file named by ``NAME_FILE``.

    Setting both is refused: it is ambiguous which one the operator meant.
    """
    direct = _raw(name)
    file_name = _raw(f"{name}_FILE")
    if direct is not None and file_name is not None:
        raise ImproperlyConfigured(f"Set either {name} or {name}_FILE, not both.")
    if file_name is not None:
        path = Path(file_name)
        try:
            content = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE={file_name!r} cannot be read: {exc.strerror}."
            ) from None
        if not content:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} is empty.")
        return content
    if direct is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"Secret {name} is required: set {name} or {name}_FILE.")
        return default  # type: ignore[return-value]
    if not direct.strip():
        raise ImproperlyConfigured(f"Secret {name} is set but empty.")
    return direct


_KEY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


def env_keyed_secrets(name: str, *, min_length: int = 32) -> dict[str, str]:
    """Named secrets ``id:secret,id:secret`` from ``NAME`` or ``NAME_FILE``, in the given order
    (newest first, for keys that rotate); unset: empty. Each id names the key in what it
    protected (an audit entry stores the id of the key it was hashed with)."""
    keys: dict[str, str] = {}
    for item in env_secret(name, "").split(","):
        if not item.strip():
            continue
        key_id, separator, secret = (part.strip() for part in item.partition(":"))
        if not separator or not _KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                f"{name}: every entry must be id:secret, the id 1-40 letters, digits, . _ -."
            )
        if len(secret) < min_length:
            raise ImproperlyConfigured(
                f"{name}: the secret of key {key_id!r} is shorter than {min_length} characters."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"{name}: key id {key_id!r} appears twice.")
        keys[key_id] = secret
    return keys
