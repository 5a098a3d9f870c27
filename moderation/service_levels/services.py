"""Service levels: response deadlines counted in the unit's service hours, storm alerts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db import models
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.audited import save_audited
from accounts.models import OrgUnit
from accounts.models import User
from accounts.notifications import notify
from channels_app.models import Channel
from moderation.common.selectors import EffectiveSettings
from moderation.common.selectors import settings_for_units
from moderation.inbox.status import ACTIVE
from moderation.models import InboxItem
from moderation.models import ModerationSettings
from moderation.models import Reply
from moderation.models import StormAlert
from moderation.service_levels.clock import range_problems
from moderation.service_levels.selectors import NO_RESPONSE_NEEDED
from moderation.service_levels.selectors import community_managers_of
from moderation.service_levels.selectors import service_calendars_for_units

# Fields community managers maintain (the privacy page holds the rest: retention periods,
# the criminal unit and the per-employee switch are a system admin's decision).
SERVICE_LEVEL_FIELDS = (
    "service_hours",
    "first_response_minutes",
    "next_response_minutes",
    "storm_threshold",
    "storm_window_minutes",
    "replies_need_approval",
)
PRIVACY_FIELDS = (
    "retention_days",
    "evidence_retention_days",
    "block_retention_days",
    "criminal_unit",
    "employee_figures",
)
ALL_FIELDS = SERVICE_LEVEL_FIELDS + PRIVACY_FIELDS

# How many parents up a thread is followed to find an earlier answer of ours.
_MAX_THREAD_DEPTH = 25
# The settings a deadline is computed from: changing one recomputes the open deadlines.
_DEADLINE_FIELDS = ("service_hours", "first_response_minutes", "next_response_minutes")
# Up to this many items are recomputed in the request that changed the settings; more in a
# task after it, BATCH at a time.
RECOMPUTE_INLINE = 500
BATCH = 500


def service_hours_clean(raw: Any) -> dict[str, list[list[str]]]:
    """Service hours as stored (``{"0": [["08:00", "16:00"]]}``, weekday Monday 0, local
    ``HH:MM``), checked: ranges start before they end and do not overlap. Raises a
    ``ValidationError`` naming the weekday."""
    if not isinstance(raw, dict):
        raise ValidationError(_("Service hours must map weekdays (0 = Monday) to time ranges."))
    cleaned: dict[str, list[list[str]]] = {}
    errors = []
    for key, ranges in raw.items():
        try:
            weekday = int(key)
        except (TypeError, ValueError):
            weekday = -1
        if not 0 <= weekday <= 6:
            errors.append(_("“%(day)s” is not a weekday (0 = Monday … 6 = Sunday).") % {"day": key})
            continue
        name = str(WEEKDAYS[weekday])
        try:
            parsed = sorted((_parse_time(start), _parse_time(end)) for start, end in ranges or [])
        except (TypeError, ValueError):
            errors.append(
                _("%(day)s: give each range as a start and an end, HH:MM.") % {"day": name}
            )
            continue
        problems = range_problems(parsed)
        if "order" in problems:
            errors.append(_("%(day)s: a range must end after it starts.") % {"day": name})
        if "overlap" in problems:
            errors.append(_("%(day)s: the ranges overlap; join them into one.") % {"day": name})
        if parsed:
            cleaned[str(weekday)] = [[a.strftime("%H:%M"), b.strftime("%H:%M")] for a, b in parsed]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _parse_time(value: Any) -> time:
    if not isinstance(value, str) or len(value) != 5:
        raise ValueError(value)
    return time.fromisoformat(value)


def _attname(name: str) -> str:
    return "criminal_unit_id" if name == "criminal_unit" else name


@transaction.atomic
def moderation_settings_update(
    *,
    actor: User,
    unit: OrgUnit,
    values: dict[str, Any],
    action: str = "moderation.service_levels.updated",
    request: HttpRequest | None = None,
) -> EffectiveSettings:
    """Change some of the unit's settings (``values`` keyed by field name; permission is the
    caller's: service-level fields for community managers, privacy fields for system admins).

    Field by field: a value becomes the unit's own unless the unit still inherits that field
    and the value is the one it inherits (a form sends every field; those left as they were
    keep following the unit above, so a later change there still reaches this unit).
    ``None`` makes the unit follow the unit above again. Audited with the effective values
    before and after; returns the effective settings."""
    unknown = set(values) - set(ALL_FIELDS)
    if unknown:
        raise ValueError(f"not a settings field: {sorted(unknown)}")
    if values.get("service_hours") is not None:
        values = {**values, "service_hours": service_hours_clean(values["service_hours"])}
    # Locked: two saves at once must not both create the unit's row.
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()
    row = ModerationSettings.objects.filter(unit=unit).first() or ModerationSettings(unit=unit)
    effective = settings_for_units([unit])[unit.pk]
    for name, value in values.items():
        attname = _attname(name)
        if isinstance(value, models.Model):
            value = value.pk
        if value is None or name in effective.own_fields or value != getattr(effective, attname):
            setattr(row, attname, value)
    fields = tuple(values)
    if row.pk is not None or any(getattr(row, _attname(name)) is not None for name in fields):
        row.updated_at = timezone.now()
        row.updated_by = actor
        row.full_clean()
        row.save()
    updated = settings_for_units([unit])[unit.pk]
    before = effective.snapshot(*fields)
    after = updated.snapshot(*fields)
    changed = [
        name
        for name in fields
        if before[name] != after[name]
        or (name in effective.own_fields) != (name in updated.own_fields)
    ]
    if set(changed) & set(_DEADLINE_FIELDS):
        _deadlines_follow(unit)
    audit_log(
        action=action,
        actor=actor,
        request=request,
        target=row if row.pk is not None else unit,
        unit=unit,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
        data={
            # Fields the unit set itself for the first time, and fields it handed back to
            # the unit above: the effective values alone do not show either.
            "inherited_before": [
                n for n in changed if n in updated.own_fields and n not in effective.own_fields
            ],
            "inherited_after": [n for n in changed if n not in updated.own_fields],
        },
    )
    return updated


def _deadlines_follow(unit: OrgUnit) -> None:
    """The unit's service hours or targets changed: the items of its channels (and of the
    units below, which may inherit them) still awaiting a first answer get their deadlines
    in the new ones; at once when they are few, else in a task after the commit."""
    if _awaiting_first_response(unit)[: RECOMPUTE_INLINE + 1].count() <= RECOMPUTE_INLINE:
        items_recompute_deadlines(unit=unit)
        return
    from moderation.service_levels.tasks import recompute_deadlines

    unit_id = unit.pk
    transaction.on_commit(lambda: recompute_deadlines.delay(unit_id))


# --- Deadlines --------------------------------------------------------------------------------


def _follow_up_ids(items: Sequence[InboxItem]) -> set[int]:
    """Items that continue a thread we already answered: the same author wrote an item up
    the parent chain that we answered (or replied to our reply to one), or, in direct
    messages, wrote an earlier message we answered. A bounded number of queries per batch
    (one per thread level), never one per item."""
    by_channel_reply: dict[tuple[int, str], int] = {}
    parent_remote = {(i.channel_id, i.parent_remote_id) for i in items if i.parent_remote_id}
    if parent_remote:
        replies = Reply.objects.filter(
            item__channel_id__in={c for c, _r in parent_remote},
            remote_id__in={r for _c, r in parent_remote},
            status=Reply.Status.SENT,
        ).values_list("item__channel_id", "remote_id", "item_id")
        by_channel_reply = {(c, r): item_id for c, r, item_id in replies}

    # chain[item] = ids of items up its thread (parents, and items our replies answered).
    chain_start: dict[int, set[int]] = defaultdict(set)
    for item in items:
        if item.parent_id:
            chain_start[item.pk].add(item.parent_id)
        answered = by_channel_reply.get((item.channel_id, item.parent_remote_id))
        if answered:
            chain_start[item.pk].add(answered)

    found: set[int] = set()
    known: dict[int, tuple[int | None, int, bool]] = {}
    frontier = {pk for ids in chain_start.values() for pk in ids}
    for _level in range(_MAX_THREAD_DEPTH):
        frontier -= set(known)
        if not frontier:
            break
        rows = InboxItem.objects.filter(pk__in=frontier).values_list(
            "pk", "parent_id", "author_id", "last_responded_at"
        )
        frontier = set()
        for pk, parent_id, author_id, responded in rows:
            known[pk] = (parent_id, author_id, responded is not None)
            if parent_id:
                frontier.add(parent_id)
    for item in items:
        seen: set[int] = set()
        todo = list(chain_start.get(item.pk, ()))
        while todo:
            pk = todo.pop()
            if pk in seen or pk not in known:
                continue
            seen.add(pk)
            up, writer, answered_by_us = known[pk]
            if answered_by_us and writer == item.author_id:
                found.add(item.pk)
                break
            if up:
                todo.append(up)

    messages = [i for i in items if i.kind == InboxItem.Kind.MESSAGE and i.pk not in found]
    if messages:
        answered_authors = set(
            InboxItem.objects.filter(
                author_id__in={i.author_id for i in messages},
                kind=InboxItem.Kind.MESSAGE,
                last_responded_at__isnull=False,
                created_at__lte=max(i.created_at for i in messages),
            )
            .exclude(pk__in=[i.pk for i in messages])
            .values_list("author_id", "created_at")
        )
        for item in messages:
            if any(a == item.author_id and at <= item.created_at for a, at in answered_authors):
                found.add(item.pk)
    return found


@transaction.atomic
def items_set_deadlines(*, items: Sequence[InboxItem]) -> None:
    """Set ``response_due_at`` of freshly ingested items (called by ingestion per batch).

    The first-response target applies to a new conversation, the next-response target to an
    item that continues a thread we answered. Settings and holidays are loaded once per unit
    and the items written with one bulk update: a bounded number of queries per batch."""
    items = [item for item in items if item.pk is not None]
    if not items:
        return
    channel_units = dict(
        Channel.objects.filter(pk__in={i.channel_id for i in items}).values_list("pk", "unit_id")
    )
    units = list(OrgUnit.objects.filter(pk__in=set(channel_units.values())))
    settings, calendars = service_calendars_for_units(units)
    follow_ups = _follow_up_ids(items)
    for item in items:
        unit_id = channel_units[item.channel_id]
        if item.status in NO_RESPONSE_NEEDED:
            item.response_due_at = None
            continue
        unit_settings = settings[unit_id]
        minutes = (
            unit_settings.next_response_minutes
            if item.pk in follow_ups
            else unit_settings.first_response_minutes
        )
        item.response_due_at = calendars[unit_id].add(item.created_at, minutes)
    _write_due(items)


def _write_due(items: Sequence[InboxItem]) -> None:
    """One statement for the batch. On PostgreSQL an ``UPDATE … FROM (VALUES …)``: Django's
    ``bulk_update`` builds a ``CASE`` with one expression per row, which costs more than
    the rest of the batch together."""
    if connection.vendor != "postgresql":
        InboxItem.objects.bulk_update(items, ["response_due_at"], batch_size=500)
        return
    table = InboxItem._meta.db_table
    for start in range(0, len(items), 1000):
        chunk = items[start : start + 1000]
        rows = ", ".join(["(%s::bigint, %s::timestamptz)"] * len(chunk))
        params: list[Any] = []
        for item in chunk:
            params.extend([item.pk, item.response_due_at])
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" SET "response_due_at" = v.due '  # noqa: S608 (our table name)
                f'FROM (VALUES {rows}) AS v(id, due) WHERE "{table}"."id" = v.id',
                params,
            )


def _awaiting_first_response(unit: OrgUnit) -> QuerySet[InboxItem]:
    """Items on the channels of ``unit`` and the units below that are still to be worked on
    and were never answered: their deadline is the one set on arrival. (A reopened item we
    had answered keeps the deadline its reopening gave it.)"""
    return InboxItem.objects.filter(
        channel__unit__path__startswith=unit.path,
        status__in=ACTIVE,
        first_responded_at__isnull=True,
    )


def items_recompute_deadlines(*, unit: OrgUnit) -> int:
    """Set the deadlines of the unit's items awaiting a first answer as ingestion would set
    them now (``items_set_deadlines``), ``BATCH`` at a time, each batch in its own
    transaction. Returns how many items were recomputed."""
    done = 0
    last_pk = 0
    queryset = _awaiting_first_response(unit).only(
        "pk",
        "channel_id",
        "created_at",
        "status",
        "kind",
        "author_id",
        "parent_id",
        "parent_remote_id",
    )
    while True:
        batch = list(queryset.filter(pk__gt=last_pk).order_by("pk")[:BATCH])
        if not batch:
            return done
        items_set_deadlines(items=batch)
        done += len(batch)
        last_pk = batch[-1].pk


@transaction.atomic
def item_reopened(*, item: InboxItem, at: datetime) -> None:
    """A settled item needs an answer again (reopened at ``at``). Never answered: the
    deadline it would get on arrival, in the current hours (the first answer is still
    owed, however long ago it was written). Answered before: the next-response target,
    counted from the reopening."""
    if item.first_responded_at is None:
        items_set_deadlines(items=[item])
        return
    unit = item.channel.unit
    settings, calendars = service_calendars_for_units([unit])
    item.response_due_at = calendars[unit.pk].add(at, settings[unit.pk].next_response_minutes)
    InboxItem.objects.filter(pk=item.pk).update(response_due_at=item.response_due_at)


@transaction.atomic
def item_response_recorded(*, item: InboxItem, at: datetime) -> None:
    """Our reply to ``item`` reached the platform at ``at`` (called by replies when a reply
    is sent): first/last response times, whether the first-response target was met."""
    # Locked: two replies sent at once must not both count as the first.
    locked = InboxItem.objects.select_for_update().get(pk=item.pk)
    if locked.first_responded_at is None:
        locked.first_responded_at = at
        locked.first_response_breached = (
            locked.response_due_at is not None and at > locked.response_due_at
        )
    if locked.last_responded_at is None or at > locked.last_responded_at:
        locked.last_responded_at = at
    locked.response_due_at = None
    locked.save(
        update_fields=[
            "first_responded_at",
            "first_response_breached",
            "last_responded_at",
            "response_due_at",
        ]
    )
    for name in (
        "first_responded_at",
        "first_response_breached",
        "last_responded_at",
        "response_due_at",
    ):
        setattr(item, name, getattr(locked, name))


# --- Storm alerts -----------------------------------------------------------------------------


@transaction.atomic
def storm_check(*, channel: Channel) -> StormAlert | None:
    """Raise a storm alert when the channel passed its unit's threshold (called by
    ingestion after each batch of the channel). Once per window: while an alert of the
    channel is younger than the window, no second one is raised."""
    # The channel row is the lock: two workers finishing batches at once raise one alert.
    channel = (
        Channel.objects.select_for_update(of=("self",)).select_related("unit").get(pk=channel.pk)
    )
    unit_settings = settings_for_units([channel.unit])[channel.unit_id]
    if unit_settings.storm_threshold <= 0:
        return None
    now = timezone.now()
    window_start = now - timedelta(minutes=unit_settings.storm_window_minutes)
    if StormAlert.objects.filter(channel=channel, created_at__gt=window_start).exists():
        return None
    count = InboxItem.objects.filter(channel=channel, created_at__gte=window_start).count()
    if count < unit_settings.storm_threshold:
        return None
    alert = StormAlert(channel=channel, window_start=window_start, item_count=count, created_at=now)
    save_audited(
        alert,
        action="moderation.service_levels.storm_alert",
        actor=None,
        request=None,
        unit=channel.unit,
        actor_label="system",
        data={
            "channel": channel.pk,
            "item_count": count,
            "threshold": unit_settings.storm_threshold,
            "window_minutes": unit_settings.storm_window_minutes,
        },
    )
    notify(
        recipients=community_managers_of(channel.unit),
        kind="moderation.storm_alert",
        context={
            "channel": channel.name,
            "count": count,
            "minutes": unit_settings.storm_window_minutes,
        },
        link="/moderation/service-levels/",
        unit=channel.unit,
    )
    return alert
