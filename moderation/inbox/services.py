"""Triage of inbox items: status, priority, assignment, snooze, internal notes; the same one
item at a time or for a selection. Every change is audited (one entry per item changed),
in the transaction that makes it.

Only community managers of the item's channel act (``PermissionDenied`` otherwise, 403);
the status machine is ``moderation.inbox.status`` (``InboxTransitionError``,
``invalid_transition``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.audit import audit_snapshot
from accounts.errors import DomainError
from accounts.models import OrgUnit
from accounts.models import User
from accounts.notifications import notify
from moderation.common.permissions import user_may_moderate_channel
from moderation.inbox.selectors import assignable_teams
from moderation.inbox.selectors import assignable_users
from moderation.inbox.selectors import moderated_channel_ids
from moderation.inbox.status import ACTIVE
from moderation.inbox.status import allowed_targets
from moderation.inbox.status import check_snooze
from moderation.inbox.status import check_transition
from moderation.models import InboxItem
from moderation.models import InternalNote
from moderation.service_levels.services import item_reopened
from moderation.service_levels.services import item_response_recorded

S = InboxItem.Status

NOTE_MAX_CHARS = 10_000
TRIAGE_FIELDS = (
    "status",
    "priority",
    "assignee",
    "team",
    "snoozed_until",
    "closed_at",
    "updated_at",
)
_WAKE_BATCH = 500


# --- Helpers ---------------------------------------------------------------------------------


def _require_moderator(actor: User, item: InboxItem) -> None:
    if not user_may_moderate_channel(actor, item.channel_id):
        raise PermissionDenied(_("You may read this item but not act on it."))


def _lock(item: InboxItem) -> InboxItem:
    """The item's row, locked for this transaction and freshly read: two people changing
    the same item one after the other each see the other's change."""
    return (
        InboxItem.objects.select_for_update(of=("self",))
        .select_related("channel__unit")
        .get(pk=item.pk)
    )


def _save_triage(item: InboxItem) -> None:
    item.updated_at = timezone.now()
    # Only what triage changes is validated: the platform's text, address and raw data were
    # stored as the platform sent them and are not ours to judge here.
    excluded = [f.name for f in InboxItem._meta.concrete_fields if f.name not in TRIAGE_FIELDS]
    item.full_clean(exclude=excluded, validate_unique=False, validate_constraints=False)
    item.save(update_fields=list(TRIAGE_FIELDS))


def _triage_snapshot(item: InboxItem, *fields: str) -> dict[str, Any]:
    return audit_snapshot(item, *fields)


def _change_triage(
    item: InboxItem,
    action: str,
    changes: dict[str, Any],
    *,
    actor: User | None,
    request: HttpRequest | None,
    data: dict[str, Any] | None = None,
) -> None:
    """Set ``changes`` on a locked item, save them and audit those fields before and after."""
    before = _triage_snapshot(item, *changes)
    for name, value in changes.items():
        setattr(item, name, value)
    _save_triage(item)
    _audit(
        action=action,
        actor=actor,
        item=item,
        before=before,
        after=_triage_snapshot(item, *changes),
        request=request,
        data=data,
    )


def _audit(
    *,
    action: str,
    actor: User | None,
    item: InboxItem,
    before: dict[str, Any],
    after: dict[str, Any],
    request: HttpRequest | None,
    data: dict[str, Any] | None = None,
) -> None:
    audit_log(
        action=action,
        actor=actor,
        request=request,
        target=item,
        unit=item.channel.unit,
        before=before,
        after=after,
        data=data,
        actor_label="" if actor is not None or request is not None else "system",
    )


# --- Status ----------------------------------------------------------------------------------


def _apply_status(
    item: InboxItem,
    status: str,
    *,
    actor: User | None,
    request: HttpRequest | None,
    data: dict[str, Any] | None = None,
    by_hand: bool = False,
) -> bool:
    """Change a locked item's status; False when it already had it. ``by_hand``: a person
    chose the status (not a reply that reached the platform)."""
    if item.status == status:
        return False
    check_transition(item.status, status)
    before = _triage_snapshot(item, "status", "closed_at", "snoozed_until")
    reopened = item.status not in ACTIVE and status in ACTIVE
    item.status = status
    now = timezone.now()
    item.closed_at = now if status == S.CLOSED else None
    if status not in ACTIVE:
        item.snoozed_until = None
    _save_triage(item)
    if by_hand and status == S.ANSWERED:
        # Answered elsewhere (by phone, on the platform itself): for the service levels
        # that is the response, given now.
        item_response_recorded(item=item, at=now)
    if reopened:
        item_reopened(item=item, at=now)
    _audit(
        action="moderation.inbox.status_changed",
        actor=actor,
        item=item,
        before=before,
        after=_triage_snapshot(item, "status", "closed_at", "snoozed_until"),
        request=request,
        data=data,
    )
    return True


@transaction.atomic
def inbox_item_set_status(
    *, actor: User, item: InboxItem, status: str, request: HttpRequest | None = None
) -> InboxItem:
    """Move the item to ``status`` (see ``moderation.inbox.status.TRANSITIONS``)."""
    _require_moderator(actor, item)
    if status not in S.values:
        raise ValidationError({"status": _("Unknown status.")})
    item = _lock(item)
    _apply_status(item, status, actor=actor, request=request, by_hand=True)
    return item


@transaction.atomic
def inbox_item_status_follows(
    *,
    item: InboxItem,
    status: str,
    reason: str,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> bool:
    """A status that follows from another feature's work (a reply reached the platform, a
    decision was taken), not from triage: the caller has checked its own permission; the
    transitions of ``moderation.inbox.status`` apply and the change is audited with
    ``reason``. Returns whether the status changed; a transition the machine refuses (a
    closed item stays closed when a late reply goes out) leaves it as it is."""
    locked = _lock(item)
    if locked.status == status or status not in allowed_targets(locked.status):
        return False
    _apply_status(locked, status, actor=actor, request=request, data={"reason": reason})
    item.status, item.closed_at, item.snoozed_until = (
        locked.status,
        locked.closed_at,
        locked.snoozed_until,
    )
    return True


@transaction.atomic
def inbox_item_open(
    *, actor: User, item: InboxItem, request: HttpRequest | None = None
) -> InboxItem:
    """A community manager opened the conversation: a new item becomes open. Readers who
    may not act (auditors) leave it new."""
    if item.status != S.NEW or not user_may_moderate_channel(actor, item.channel_id):
        return item
    item = _lock(item)
    if item.status == S.NEW:
        _apply_status(item, S.OPEN, actor=actor, request=request, data={"reason": "opened"})
    return item


# --- Priority --------------------------------------------------------------------------------


def _apply_priority(
    item: InboxItem, priority: int, *, actor: User, request: HttpRequest | None
) -> bool:
    if item.priority == priority:
        return False
    _change_triage(
        item,
        "moderation.inbox.priority_changed",
        {"priority": priority},
        actor=actor,
        request=request,
    )
    return True


def _check_priority(priority: int) -> None:
    if priority not in InboxItem.Priority.values:
        raise ValidationError({"priority": _("Unknown priority.")})


@transaction.atomic
def inbox_item_set_priority(
    *, actor: User, item: InboxItem, priority: int, request: HttpRequest | None = None
) -> InboxItem:
    _require_moderator(actor, item)
    _check_priority(priority)
    item = _lock(item)
    _apply_priority(item, priority, actor=actor, request=request)
    return item


# --- Assignment ------------------------------------------------------------------------------


def _check_assignment(item: InboxItem, assignee: User | None, team: OrgUnit | None) -> None:
    errors: dict[str, str] = {}
    if assignee is not None and not assignable_users(item.channel).filter(pk=assignee.pk).exists():
        errors["assignee"] = _(
            "%(person)s is not a community manager of this channel's unit or a unit above it."
        ) % {"person": assignee.get_full_name() or assignee.email}
    if team is not None and not assignable_teams(item.channel).filter(pk=team.pk).exists():
        errors["team"] = _("The team must be a unit of the channel's authority.")
    if errors:
        raise ValidationError(errors)


def _apply_assignment(
    item: InboxItem,
    assignee: User | None,
    team: OrgUnit | None,
    *,
    actor: User,
    request: HttpRequest | None,
) -> bool:
    if item.assignee_id == (assignee.pk if assignee else None) and item.team_id == (
        team.pk if team else None
    ):
        return False
    _check_assignment(item, assignee, team)
    newly_assigned = assignee is not None and item.assignee_id != assignee.pk
    _change_triage(
        item,
        "moderation.inbox.assigned",
        {"assignee": assignee, "team": team},
        actor=actor,
        request=request,
    )
    if newly_assigned and assignee is not None and assignee.pk != actor.pk:
        # A link, not a quote: notifications are kept, and retention does not reach them.
        notify(
            recipients=[assignee],
            kind="moderation.assigned",
            context={
                "actor": actor.get_full_name() or actor.email,
                "channel": item.channel.name,
            },
            link=reverse("inbox:item", args=[item.pk]),
            unit=item.channel.unit,
        )
    return True


@transaction.atomic
def inbox_item_assign(
    *,
    actor: User,
    item: InboxItem,
    assignee: User | None,
    team: OrgUnit | None = None,
    request: HttpRequest | None = None,
) -> InboxItem:
    """Assign the item to a person (a community manager of the item's unit or above; they
    are notified) and/or a team (a unit of the authority); both empty unassigns it."""
    _require_moderator(actor, item)
    item = _lock(item)
    _apply_assignment(item, assignee, team, actor=actor, request=request)
    return item


# --- Snooze ----------------------------------------------------------------------------------


def _check_snooze_time(until: datetime | None, now: datetime) -> None:
    if until is not None and until <= now:
        raise ValidationError({"snoozed_until": _("Choose a time in the future.")})


def _apply_snooze(
    item: InboxItem, until: datetime | None, *, actor: User, request: HttpRequest | None
) -> bool:
    if item.snoozed_until == until:
        return False
    if until is not None:
        check_snooze(item.status)
    _change_triage(
        item, "moderation.inbox.snoozed", {"snoozed_until": until}, actor=actor, request=request
    )
    return True


@transaction.atomic
def inbox_item_snooze(
    *,
    actor: User,
    item: InboxItem,
    until: datetime | None,
    request: HttpRequest | None = None,
) -> InboxItem:
    """Hide the item from the list until ``until`` (then it comes back open); ``None``
    brings it back now."""
    _require_moderator(actor, item)
    _check_snooze_time(until, timezone.now())
    item = _lock(item)
    _apply_snooze(item, until, actor=actor, request=request)
    return item


@transaction.atomic
def inbox_items_wake_snoozed(*, now: datetime | None = None) -> int:
    """Bring back every item whose snooze ended: open again, in the default list. Returns
    how many. Rows another worker holds are skipped (and taken on its next run)."""
    now = now or timezone.now()
    woken = 0
    while True:
        batch = list(
            InboxItem.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("channel__unit")
            .filter(snoozed_until__lte=now)
            .order_by("snoozed_until", "id")[:_WAKE_BATCH]
        )
        for item in batch:
            if item.status in ACTIVE and item.status != S.OPEN:
                data = {"reason": "snooze_ended", "snoozed_until": item.snoozed_until.isoformat()}  # type: ignore[union-attr]
                item.snoozed_until = None
                _apply_status(item, S.OPEN, actor=None, request=None, data=data)
            else:
                _change_triage(
                    item,
                    "moderation.inbox.snoozed",
                    {"snoozed_until": None},
                    actor=None,
                    request=None,
                    data={"reason": "snooze_ended"},
                )
            woken += 1
        if len(batch) < _WAKE_BATCH:
            return woken


# --- Notes -----------------------------------------------------------------------------------


@transaction.atomic
def inbox_note_add(
    *, actor: User, item: InboxItem, text: str, request: HttpRequest | None = None
) -> InternalNote:
    """An internal note on the item (never sent to the platform)."""
    _require_moderator(actor, item)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    if len(text) > NOTE_MAX_CHARS:
        raise ValidationError(
            {"text": _("A note can be at most %(max)d characters long.") % {"max": NOTE_MAX_CHARS}}
        )
    note = InternalNote(item=item, author=actor, text=text)
    note.full_clean()
    note.save()
    audit_log(
        action="moderation.inbox.note_added",
        actor=actor,
        request=request,
        target=item,
        unit=item.channel.unit,
        # The note's text may name citizens: the entry refers to it instead of copying it.
        data={"note": note.pk, "length": len(text)},
    )
    return note


# --- Bulk ------------------------------------------------------------------------------------


@dataclass
class BulkResult:
    changed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


BULK_ACTIONS = ("status", "assign", "priority", "snooze")


@transaction.atomic
def inbox_items_bulk_update(
    *,
    actor: User,
    items: Iterable[InboxItem],
    action: str,
    status: str | None = None,
    assignee: User | None = None,
    team: OrgUnit | None = None,
    priority: int | None = None,
    snoozed_until: datetime | None = None,
    request: HttpRequest | None = None,
) -> BulkResult:
    """Apply one change to a selection. Items the change does not suit (a refused
    transition, an assignee who is not eligible for that channel, a channel the actor only
    reads) are left as they are and reported with the reason; the others change, each with
    its own audit entry."""
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": _("Unknown bulk action.")})
    if action == "status" and status not in S.values:
        raise ValidationError({"status": _("Choose a status.")})
    if action == "priority":
        if priority is None:
            raise ValidationError({"priority": _("Choose a priority.")})
        _check_priority(priority)
    if action == "snooze":
        if snoozed_until is None:
            raise ValidationError({"snoozed_until": _("Choose until when.")})
        _check_snooze_time(snoozed_until, timezone.now())
    selected = sorted({item.pk for item in items})
    if not selected:
        raise ValidationError(_("Select at least one item."))
    result = BulkResult()
    allowed = moderated_channel_ids(actor)
    locked = list(
        InboxItem.objects.select_for_update(of=("self",))
        .select_related("channel__unit")
        .filter(pk__in=selected)
        .order_by("id")
    )
    if not any(item.channel_id in allowed for item in locked):
        raise PermissionDenied(_("You may read these items but not act on them."))
    for item in locked:
        if item.channel_id not in allowed:
            result.refused[item.pk] = _("You may read this item but not act on it.")
            continue
        try:
            if action == "status":
                assert status is not None
                changed = _apply_status(item, status, actor=actor, request=request, by_hand=True)
            elif action == "assign":
                changed = _apply_assignment(item, assignee, team, actor=actor, request=request)
            elif action == "priority":
                assert priority is not None
                changed = _apply_priority(item, priority, actor=actor, request=request)
            else:
                changed = _apply_snooze(item, snoozed_until, actor=actor, request=request)
        except (DomainError, ValidationError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [error.message]
            result.refused[item.pk] = " ".join(str(m) for m in messages)
            continue
        (result.changed if changed else result.unchanged).append(item.pk)
    return result
