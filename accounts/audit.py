"""The audit log: one writer, one registry of action names, one verifier.

Every app records what matters with ``audit_log(...)`` inside the transaction that makes the
change, so an entry exists if and only if the change was committed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, AuditChainHead, AuditEntry, OrgUnit, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

GENESIS_HASH = "0" * 64
MASK = "***"
_SECRET_KEY_PATTERN = re.compile(
    r"pass(word)?|secret|token|api[_-]?key|private|credential|otp|totp|session", re.I
)

# Human-readable text for each action; apps add theirs with ``register_audit_actions``.
AUDIT_ACTIONS: dict[str, Promise] = {
    "accounts.login.succeeded": _("Logged in"),
    "accounts.login.failed": _("Failed login"),
    "accounts.login.locked": _("Login locked after repeated failures"),
    "accounts.logout": _("Logged out"),
    "accounts.two_factor.enabled": _("Two-factor authentication enabled"),
    "accounts.two_factor.disabled": _("Two-factor authentication disabled"),
    "accounts.two_factor.reset": _("Two-factor authentication reset by an admin"),
    "accounts.two_factor.failed": _("Wrong two-factor code"),
    "accounts.password.changed": _("Password changed"),
    "accounts.password.set": _("Password set from invitation link"),
    "accounts.user.invited": _("User invited"),
    "accounts.user.updated": _("User changed"),
    "accounts.user.deactivated": _("User deactivated"),
    "accounts.user.reactivated": _("User reactivated"),
    "accounts.role.assigned": _("Role assigned"),
    "accounts.role.removed": _("Role removed"),
    "accounts.unit.created": _("Unit created"),
    "accounts.unit.updated": _("Unit changed"),
    "accounts.api_token.created": _("API token created"),
    "accounts.api_token.revoked": _("API token revoked"),
}


def register_audit_actions(actions: dict[str, Promise]) -> None:
    AUDIT_ACTIONS.update(actions)


def audit_action_label(action: str) -> str:
    return str(AUDIT_ACTIONS.get(action, action))


def mask_secrets(value: Any) -> Any:
    """Replace the value of every key that names a secret, at any depth."""
    if isinstance(value, dict):
        return {
            key: MASK if _SECRET_KEY_PATTERN.search(str(key)) else mask_secrets(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_secrets(item) for item in value]
    return value


def audit_snapshot(instance: models.Model, *fields: str) -> dict[str, Any]:
    """``fields`` of ``instance`` for an entry's ``before``/``after``, keyed by field name: a
    foreign key as its id, a date or a time stamp in ISO 8601. Computed values (a post's
    channels, say) are added by the caller."""
    snapshot: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        assert isinstance(field, models.Field), name  # a column, not a reverse relation
        value = getattr(instance, field.attname)
        snapshot[name] = value.isoformat() if isinstance(value, date) else value
    return snapshot


def _to_json(value: Any) -> Any:
    """Normalise to what a JSONField returns when read back, so hashes match after a reload."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The rightmost entry is the one our reverse proxy appended; entries to its left
            # come from the client and can be forged.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR") or None


def compute_entry_hash(entry: AuditEntry) -> str:
    content_type = entry.target_type
    target_type = f"{content_type.app_label}.{content_type.model}" if content_type else ""
    payload = json.dumps(
        [
            entry.sequence,
            entry.created_at.astimezone(UTC).isoformat(),
            entry.actor_id,
            entry.actor_token_id,
            entry.actor_label,
            entry.action,
            target_type,
            entry.target_id,
            entry.target_repr,
            entry.unit_id,
            entry.data,
            entry.ip_address,
            entry.previous_hash,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _actor_from_request(
    request: HttpRequest | None,
) -> tuple[User | None, ApiToken | None]:
    if request is None:
        return None, None
    user: User | AnonymousUser | None = getattr(request, "user", None)
    token = getattr(request, "auth", None)
    return (
        user if isinstance(user, User) else None,
        token if isinstance(token, ApiToken) else None,
    )


def audit_log(
    *,
    action: str,
    actor: User | None = None,
    actor_token: ApiToken | None = None,
    request: HttpRequest | None = None,
    target: models.Model | None = None,
    unit: OrgUnit | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append one entry to the chain. ``actor`` defaults to the request's user or token."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: register it first.")
    request_user, request_token = _actor_from_request(request)
    actor = actor or request_user
    actor_token = actor_token or request_token
    if actor is None and actor_token is not None:
        actor = actor_token.user
    payload: dict[str, Any] = dict(data or {})
    if before is not None:
        payload["before"] = before
    if after is not None:
        payload["after"] = after
    # Inside a caller's transaction no savepoint: the entry belongs to that transaction's
    # change and fails with it (two round trips less per entry).
    with transaction.atomic(savepoint=False):
        return _append(
            action=action,
            actor=actor,
            actor_token=actor_token,
            target=target,
            unit=unit,
            payload=payload,
            actor_label=actor_label,
            ip_address=client_ip(request),
        )


def _append(
    *,
    action: str,
    actor: User | None,
    actor_token: ApiToken | None,
    target: models.Model | None,
    unit: OrgUnit | None,
    payload: dict[str, Any],
    actor_label: str,
    ip_address: str | None,
) -> AuditEntry:
    # The row lock on the head serialises appends: two concurrent transactions can never
    # link to the same predecessor.
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    entry = AuditEntry(
        sequence=head.sequence + 1,
        created_at=timezone.now(),
        actor=actor,
        actor_token=actor_token,
        actor_label=(actor_label or (actor.email if actor else ""))[:255],
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        unit=unit,
        data=_to_json(mask_secrets(payload)),
        ip_address=ip_address,
        previous_hash=head.entry_hash,
    )
    entry.entry_hash = compute_entry_hash(entry)
    entry.save()
    head.sequence = entry.sequence
    head.entry_hash = entry.entry_hash
    head.save(update_fields=["sequence", "entry_hash"])
    return entry


@dataclass(frozen=True)
class ChainProblem:
    sequence: int | None
    message: str


def verify_audit_chain(entries: Iterable[AuditEntry] | None = None) -> Iterator[ChainProblem]:
    """Yield every break in the chain: altered content, a gap, a wrong order, a lost tail."""
    if entries is None:
        entries = (
            AuditEntry.objects.order_by("sequence")
            .select_related("target_type")
            .iterator(chunk_size=2000)
        )
    expected_sequence = 1
    previous_hash = GENESIS_HASH
    for entry in entries:
        if entry.sequence != expected_sequence:
            yield ChainProblem(
                entry.sequence,
                f"expected entry #{expected_sequence} but found #{entry.sequence}"
                " (removed or reordered entries)",
            )
        if entry.previous_hash != previous_hash:
            yield ChainProblem(
                entry.sequence, "link to the previous entry is broken (removed or reordered)"
            )
        if compute_entry_hash(entry) != entry.entry_hash:
            yield ChainProblem(entry.sequence, "content does not match its hash (altered)")
        expected_sequence = entry.sequence + 1
        previous_hash = entry.entry_hash
    head = AuditChainHead.objects.filter(pk=1).first()
    head_sequence = head.sequence if head else 0
    head_hash = head.entry_hash if head else GENESIS_HASH
    if head_sequence != expected_sequence - 1 or head_hash != previous_hash:
        yield ChainProblem(
            None,
            f"chain head records entry #{head_sequence} but the log ends at"
            f" #{expected_sequence - 1} (entries removed from the end)",
        )
