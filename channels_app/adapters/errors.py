"""One error taxonomy for every platform.

Callers decide by class, never by platform: a ``TransientError`` is retried (honouring
``retry_after``), an ``AuthenticationError`` marks the channel for reconnection and is never
retried blindly, a ``ContentRejectedError`` is permanent and carries the platform's reason.
Messages never contain credentials or request URLs (a Telegram bot token is part of its URL).
"""

from __future__ import annotations

from collections.abc import Iterable

# ``code`` of a TransientError raised before any byte reached the platform (no connection
# could be made): such a publish is certainly safe to retry.
NOT_SENT = "not_sent"


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` without any of ``secrets`` (values shorter than six characters are no secret
    worth hiding and would blank out ordinary words)."""
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, "[redacted]")
    return text


class PlatformError(Exception):
    """Base class. ``message`` is safe to show to staff and to store."""

    def __init__(self, message: str, *, status: int | None = None, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


class TransientError(PlatformError):
    """5xx, timeouts, connection errors, 429: try again later."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status=status, code=code)
        self.retry_after = retry_after


class RateLimitedError(TransientError):
    """429 or a platform-specific quota error; ``retry_after`` in seconds when known."""


class AuthenticationError(PlatformError):
    """The token is expired, revoked or lacks a permission: the channel needs reconnecting."""


class ScopeRefusedError(AuthenticationError):
    """The token works but lacks a scope the call needs (Takahē's ``out_of_scope_for_token``,
    Mastodon's "outside the authorized scopes"): while connecting, ask for broader scopes;
    later, reconnect."""


class ContentRejectedError(PlatformError):
    """The platform refused this content (too long, bad media, duplicate …): permanent."""


class RemoteNotFoundError(PlatformError):
    """The post or comment does not exist (any more) on the platform."""


class NotSupportedError(PlatformError):
    """The platform's API does not offer this operation (see the capability table)."""


class MalformedResponseError(TransientError):
    """The platform answered, but not in the documented shape."""
