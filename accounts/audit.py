"""The audit log: one writer, one registry of action names, one verifier.

Every app records what matters with ``audit_log(...)`` inside the transaction that makes the
change, so an entry exists if and only if the change was committed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from accounts.models import ApiToken
from accounts.models import AuditChainHead
from accounts.models import AuditEntry
from accounts.models import OrgUnit
from accounts.models import User
from accounts.practice.selectors import is_practice_colleague

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
    "accounts.user.language_chosen": _("Language chosen on the login page"),
    "accounts.user.deactivated": _("User deactivated"),
    "accounts.user.reactivated": _("User reactivated"),
    "accounts.role.assigned": _("Role assigned"),
    "accounts.role.removed": _("Role removed"),
    "accounts.unit.created": _("Unit created"),
    "accounts.unit.updated": _("Unit changed"),
    "accounts.api_token.created": _("API token created"),
    "accounts.api_token.revoked": _("API token revoked"),
    "accounts.audit_checkpoint.written": _("Audit log checkpoint signed and sent to the auditors"),
}


# The heading of each area's actions in the audit log's filter, by the actions' first part.
AUDIT_AREAS: dict[str, Promise] = {"accounts": _("Users and sign-in")}


def register_audit_actions(actions: dict[str, Promise], *, area: Promise | None = None) -> None:
    """``area``: the heading the actions are grouped under in the audit log's filter."""
    AUDIT_ACTIONS.update(actions)
    if area is not None:
        for prefix in {action.partition(".")[0] for action in actions}:
            AUDIT_AREAS[prefix] = area


def audit_action_label(action: str) -> str:
    return str(AUDIT_ACTIONS.get(action, action))


def audit_action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The filter's options in the current language: per area (in order of its heading) first
    "all of the area" (the value ends in a dot: a prefix), then its actions by their labels."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for action, label in AUDIT_ACTIONS.items():
        groups.setdefault(action.partition(".")[0], []).append((action, str(label)))
    choices = []
    for prefix, actions in groups.items():
        area = str(AUDIT_AREAS.get(prefix, prefix))
        everything = (f"{prefix}.", gettext("All entries: %(area)s") % {"area": area})
        choices.append(
            (area, [everything, *sorted(actions, key=lambda choice: choice[1].casefold())])
        )
    return sorted(choices, key=lambda group: group[0].casefold())


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


class AuditKeyMissingError(LookupError):
    """An entry was hashed with a key that is not configured (any more): it cannot be checked."""

    def __init__(self, key_id: str) -> None:
        super().__init__(key_id)
        self.key_id = key_id


def audit_hmac_keys() -> dict[str, bytes]:
    """The configured keys by id, newest first (``AUDIT_HMAC_KEYS``)."""
    return {key_id: secret.encode() for key_id, secret in settings.AUDIT_HMAC_KEYS.items()}


def _writing_key_id() -> str:
    for key_id in settings.AUDIT_HMAC_KEYS:
        return str(key_id)
    # Never fall back to an unkeyed hash: that is what a database administrator can forge.
    raise ImproperlyConfigured("AUDIT_HMAC_KEYS is empty: the audit log cannot be written.")


def compute_entry_hash(entry: AuditEntry, *, keys: dict[str, bytes] | None = None) -> str:
    """HMAC-SHA256 of the entry's content and its predecessor's hash under the key
    ``entry.key_id`` names; an entry without a key id was written before keyed hashes
    ("version 1") and has a plain SHA-256, which anyone with the data can recompute."""
    content_type = entry.target_type
    target_type = f"{content_type.app_label}.{content_type.model}" if content_type else ""
    fields = [
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
    ]
    if entry.key_id:
        fields.append(entry.key_id)
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )
    if not entry.key_id:
        return hashlib.sha256(payload).hexdigest()
    key = (audit_hmac_keys() if keys is None else keys).get(entry.key_id)
    if key is None:
        raise AuditKeyMissingError(entry.key_id)
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


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


def _actor_label(actor: User | None) -> str:
    """A person by their address; a simulated person of practice (the practice colleague)
    by their name, as the practice space's history shows them: their address is no one's."""
    if actor is None:
        return ""
    if is_practice_colleague(actor) and actor.full_name:
        return actor.full_name
    return actor.email


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
        actor_label=(actor_label or _actor_label(actor))[:255],
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        unit=unit,
        data=_to_json(mask_secrets(payload)),
        ip_address=ip_address,
        previous_hash=head.entry_hash,
        key_id=_writing_key_id(),
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
    """Yield every break in the chain: altered content, a gap, a wrong order, a lost tail, an
    entry whose key is not configured, an unkeyed entry after keyed ones (a downgrade)."""
    if entries is None:
        entries = (
            AuditEntry.objects.order_by("sequence")
            .select_related("target_type")
            .iterator(chunk_size=2000)
        )
    keys = audit_hmac_keys()
    missing_keys: set[str] = set()
    keyed_since: int | None = None
    newest_keyed = False
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
        if entry.key_id and keyed_since is None:
            keyed_since = entry.sequence
        elif not entry.key_id and keyed_since is not None:
            # Unkeyed hashes were written only before the switch to keyed ones: one after
            # it was recomputed by someone without the key.
            yield ChainProblem(
                entry.sequence,
                f"entry has no keyed hash, though entries are keyed since #{keyed_since}"
                " (rewritten without the key)",
            )
        try:
            intact = compute_entry_hash(entry, keys=keys) == entry.entry_hash
        except AuditKeyMissingError as missing:
            if missing.key_id not in missing_keys:
                missing_keys.add(missing.key_id)
                yield ChainProblem(
                    entry.sequence,
                    f"cannot verify entries of key {missing.key_id!r}: the key is not"
                    " configured in AUDIT_HMAC_KEYS",
                )
            intact = True  # reported once above, not once per entry
        if not intact:
            yield ChainProblem(entry.sequence, "content does not match its hash (altered)")
        expected_sequence = entry.sequence + 1
        previous_hash = entry.entry_hash
        newest_keyed = bool(entry.key_id)
    if expected_sequence > 1 and not newest_keyed:
        # Without this a log rewritten entirely as unkeyed entries would pass.
        yield ChainProblem(
            expected_sequence - 1,
            "the newest entry has no keyed hash: the log was rewritten without the key, or"
            " nothing was logged since keyed hashes were introduced (then the next logged"
            " action, a login say, clears this)",
        )
    head = AuditChainHead.objects.filter(pk=1).first()
    head_sequence = head.sequence if head else 0
    head_hash = head.entry_hash if head else GENESIS_HASH
    if head_sequence != expected_sequence - 1 or head_hash != previous_hash:
        yield ChainProblem(
            None,
            f"chain head records entry #{head_sequence} but the log ends at"
            f" #{expected_sequence - 1} (entries removed from the end)",
        )


# --- Reading an entry: what changed, in words -------------------------------------------------

# Labels of the keys in entries' data that are no field of the target's model (a field of the
# model is labelled with its verbose name); apps add theirs with ``register_audit_fields``.
AUDIT_FIELDS: dict[str, Promise] = {
    "status": _("Status"),
    "reason": _("Reason"),
    "comment": _("Comment"),
    "note": _("Note"),
    "error": _("Error"),
    "content_hash": _("Fingerprint of the content"),
    "approvals": _("Approvals given"),
    "required": _("Approvals required"),
    "approvals_voided": _("Approvals no longer valid"),
    "channel": _("Channel"),
    "channels": _("Channels"),
    "template": _("Template"),
    "origin": _("Original post"),
    "recurrence": _("Series"),
    "emergency": _("Emergency post"),
    "overrides_pauses": _("Goes out despite pauses"),
    "active_pauses_overridden": _("Pauses overridden"),
    "withdrawn": _("Withdrawn"),
    "text_override": _("Own text for this channel"),
    "media_override": _("Own media for this channel"),
    "role": _("Role"),
    "unit": _("Unit"),
    "units": _("Units"),
    "user": _("User"),
    "email": _("E-mail address"),
    "full_name": _("Name"),
    "language": _("Language"),
    "is_active": _("Active"),
    "two_factor_required": _("Two-factor authentication required"),
    "api_tokens_revoked": _("API tokens revoked"),
    "count": _("Number"),
    "attempts": _("Attempts"),
    "decision": _("Decision"),
    "kind": _("Kind"),
    "priority": _("Priority"),
    "planned_at": _("Planned for"),
    "scheduled_at": _("Scheduled for"),
    "published_at": _("Published"),
    "starts_at": _("Starts"),
    "stopped_at": _("Stopped"),
    "until": _("Until"),
    "scope": _("Scope"),
    "justification": _("Justification"),
    "remote_id": _("ID on the platform"),
    "url": _("Address"),
    "name": _("Name"),
    "rule": _("Rule"),
    "rule_cited": _("Rule cited"),
    "netiquette": _("Netiquette"),
    "netiquette_version": _("Netiquette version"),
    "evidence": _("Evidence record"),
    "details": _("Details"),
    "authors": _("Authors"),
    "appeal": _("Appeal"),
    "received_on": _("Received on"),
    "remote_hidden": _("Hidden on the platform"),
    "remote_deleted_at": _("Deleted on the platform"),
    "length": _("Length"),
    "fields": _("Fields"),
}


def register_audit_fields(fields: dict[str, Promise]) -> None:
    AUDIT_FIELDS.update(fields)


@dataclass(frozen=True)
class AuditChange:
    """One line of an entry in words. ``before`` is None where the entry records a value, not
    a change (an entry's data beside ``before``/``after``, or a value set for the first time)."""

    label: str
    after: str
    before: str | None = None


def audit_changes(entry: AuditEntry) -> list[AuditChange]:
    """The entry's ``before``/``after`` as the fields that changed, then its other data; with
    labels, choices by their names and times in the site's time zone (Europe/Berlin)."""
    data = entry.data if isinstance(entry.data, dict) else {}
    before = _mapping(data.get("before"))
    after = _mapping(data.get("after"))
    model = entry.target_type.model_class() if entry.target_type else None
    changes = []
    for key in dict.fromkeys([*before, *after]):
        old = _readable(model, key, before[key]) if key in before else None
        new = _readable(model, key, after.get(key))
        if old == new:  # unchanged, or alike in words (nothing and an empty text)
            continue
        changes.append(AuditChange(label=_field_label(model, key), before=old, after=new))
    for key, value in data.items():
        if key not in ("before", "after"):
            changes.append(
                AuditChange(label=_field_label(model, key), after=_readable(model, key, value))
            )
    return changes


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def audit_changes_text(changes: Iterable[AuditChange]) -> str:
    """The changes on one line, for an export cell."""
    return "; ".join(
        f"{change.label}: {change.after}"
        if change.before is None
        else f"{change.label}: {change.before} → {change.after}"
        for change in changes
    )


def _model_field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _field_label(model: type[models.Model] | None, key: str) -> str:
    field = _model_field(model, key)
    # A field without a verbose name of its own has one made from its name: untranslated.
    if field is not None and str(field.verbose_name) != key.replace("_", " "):
        return capfirst(str(field.verbose_name))
    if key in AUDIT_FIELDS:
        return str(AUDIT_FIELDS[key])
    return capfirst(key.replace("_", " "))


def _readable(model: type[models.Model] | None, key: str, value: Any) -> str:
    field = _model_field(model, key)
    if field is not None and field.choices and isinstance(value, str | int):
        return str(dict(field.flatchoices).get(value, value))
    return _readable_value(value)


def _readable_value(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return pgettext("audit value", "yes") if value else pgettext("audit value", "no")
    if isinstance(value, list):
        return ", ".join(_readable_value(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_readable_value(item)}" for key, item in value.items())
    if isinstance(value, str):
        return _readable_time(value) or value
    return str(value)


def _readable_time(value: str) -> str | None:
    """An ISO 8601 time stamp in the site's time zone, a date as a date; None for other text."""
    if not _ISO_DATE.match(value):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if len(value) == 10:
        return date_format(moment.date(), "SHORT_DATE_FORMAT")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return date_format(timezone.localtime(moment, SITE_TIME_ZONE), "SHORT_DATETIME_FORMAT")


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}|$)")
SITE_TIME_ZONE = ZoneInfo(settings.TIME_ZONE)
