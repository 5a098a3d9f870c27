"""Writing the Redaktionsplan: topic slots, posts started from a slot, calendar feed
addresses (all audited)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.audit import audit_snapshot
from accounts.audited import audit_about
from accounts.audited import revoke_audited
from accounts.audited import save_audited
from accounts.models import OrgUnit
from accounts.models import User
from accounts.notifications import notify
from accounts.selectors import user_home_unit
from accounts.updates import editable_fields_check
from channels_app.models import Channel
from editorial.models import CalendarFeedToken
from editorial.models import CalendarSlot
from editorial.models import Post
from editorial.models import Topic
from editorial.planning.permissions import user_may_edit_slot
from editorial.planning.selectors import DEFAULT_SLOT_TIME
from editorial.planning.selectors import berlin_datetime
from editorial.planning.selectors import feed_token_digest
from editorial.posts.selectors import units_for_authoring
from editorial.posts.services import drafting_channels_checked
from editorial.posts.services import drafting_topic_check
from editorial.posts.services import post_create

# --- Topic slots -----------------------------------------------------------------------------


def _slot_snapshot(slot: CalendarSlot, channel_ids: Iterable[int]) -> dict[str, Any]:
    return {
        **audit_snapshot(slot, "unit", "title", "day", "topic", "note", "post"),
        "time": slot.time.strftime("%H:%M") if slot.time else None,
        "channels": sorted(channel_ids),
    }


def _check_slot_unit(actor: User, unit: OrgUnit) -> None:
    if not units_for_authoring(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied


@transaction.atomic
def slot_create(
    *,
    actor: User,
    unit: OrgUnit,
    title: str,
    day: date,
    time: time | None = None,
    topic: Topic | None = None,
    note: str = "",
    channels: Iterable[Channel] = (),
    request: HttpRequest | None = None,
) -> CalendarSlot:
    _check_slot_unit(actor, unit)
    drafting_topic_check(actor, topic)
    channel_list = drafting_channels_checked(actor, channels)
    slot = CalendarSlot(
        unit=unit, title=title, day=day, time=time, topic=topic, note=note, created_by=actor
    )
    return save_audited(
        slot,
        action="editorial.slot.created",
        actor=actor,
        request=request,
        unit=unit,
        after=lambda saved: _slot_snapshot(saved, [c.pk for c in channel_list]),
        relate=lambda saved: saved.channels.set(channel_list),
    )


SLOT_FIELDS = frozenset({"unit", "title", "day", "time", "topic", "note"})


@transaction.atomic
def slot_update(
    *,
    actor: User,
    slot: CalendarSlot,
    channels: Iterable[Channel] | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> CalendarSlot:
    slot = CalendarSlot.objects.select_for_update().get(pk=slot.pk)
    if not user_may_edit_slot(actor, slot):
        raise PermissionDenied
    editable_fields_check(fields, SLOT_FIELDS)
    if "unit" in fields and fields["unit"].pk != slot.unit_id:
        _check_slot_unit(actor, fields["unit"])
    if "topic" in fields:
        drafting_topic_check(actor, fields["topic"])
    before_channels = list(slot.channels.values_list("id", flat=True))
    before = _slot_snapshot(slot, before_channels)
    for name, value in fields.items():
        setattr(slot, name, value)
    slot.full_clean()
    slot.save()
    after_channels = before_channels
    if channels is not None:
        channel_list = drafting_channels_checked(actor, channels)
        slot.channels.set(channel_list)
        after_channels = [c.pk for c in channel_list]
    audit_about(
        slot,
        "editorial.slot.updated",
        actor=actor,
        request=request,
        before=before,
        after=_slot_snapshot(slot, after_channels),
    )
    return slot


@transaction.atomic
def slot_delete(*, actor: User, slot: CalendarSlot, request: HttpRequest | None = None) -> None:
    slot = CalendarSlot.objects.select_for_update().select_related("unit").get(pk=slot.pk)
    if not user_may_edit_slot(actor, slot):
        raise PermissionDenied
    # Written before the delete: the entry keeps the slot's id and title as its target.
    audit_about(
        slot,
        "editorial.slot.deleted",
        actor=actor,
        request=request,
        before=_slot_snapshot(slot, slot.channels.values_list("id", flat=True)),
    )
    slot.delete()


@transaction.atomic
def slot_write_post(
    *,
    actor: User,
    slot: CalendarSlot,
    second_occurrence: bool | None = None,
    request: HttpRequest | None = None,
) -> Post:
    """Start the post for a slot: a draft with the slot's title, topic, time and channels,
    linked to the slot (which then leaves the calendar; the post takes its place)."""
    slot = (
        CalendarSlot.objects.select_for_update(of=("self",))
        .select_related("unit", "topic")
        .get(pk=slot.pk)
    )
    if not user_may_edit_slot(actor, slot):
        raise PermissionDenied
    if slot.post_id is not None:
        raise ValidationError(_("The post for this slot has already been written."))
    planned_at = berlin_datetime(
        slot.day, slot.time or DEFAULT_SLOT_TIME, second_occurrence=second_occurrence
    )
    post = post_create(
        actor=actor,
        unit=slot.unit,
        title=slot.title,
        text="",
        topic=slot.topic,
        planned_at=planned_at,
        channels=slot.channels.all(),
        request=request,
    )
    slot.post = post
    slot.save(update_fields=["post"])
    audit_about(
        slot,
        "editorial.slot.post_written",
        actor=actor,
        request=request,
        before={"post": None},
        after={"post": post.pk},
    )
    return post


@dataclass(frozen=True)
class CreatedFeedToken:
    token: CalendarFeedToken
    secret: str = field(repr=False)


@transaction.atomic
def feed_token_create(*, user: User, request: HttpRequest | None = None) -> CreatedFeedToken:
    """A new secret feed URL; an earlier one stops working (one feed per person keeps it
    clear which URL is subscribed where). Only the digest is stored."""
    for old in CalendarFeedToken.objects.select_for_update().filter(
        user=user, revoked_at__isnull=True
    ):
        feed_token_revoke(actor=user, token=old, request=request)
    secret = secrets.token_urlsafe(32)
    token = CalendarFeedToken(user=user, digest=feed_token_digest(secret))
    save_audited(
        token,
        action="editorial.calendar_feed.created",
        actor=user,
        request=request,
        unit=user_home_unit(user),
    )
    notify(
        recipients=[user],
        kind="editorial.calendar_feed_created",
        context={},
        link="/editorial/planning/#feed",
    )
    return CreatedFeedToken(token=token, secret=secret)


@transaction.atomic
def feed_token_revoke(
    *, actor: User, token: CalendarFeedToken, request: HttpRequest | None = None
) -> None:
    revoke_audited(token, action="editorial.calendar_feed.revoked", actor=actor, request=request)
