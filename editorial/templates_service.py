"""Post templates with ``{placeholders}`` and recurring posts (series).

Templates
    A template belongs to a unit. Editors of the unit create, change, delete and use it.
    Marking a template as an emergency template is a decision of the unit's channel admins
    or system admins; because that mark vouches for the content, changing or deleting an
    emergency template needs both rights (editor and admin) — like an approval, the mark is
    bound to what it was given for.

Placeholders
    ``{name}`` where *name* is 1 to 50 letters (umlauts and ß included), digits or underscores.
    ``{{`` and ``}}`` stand for literal braces. Anything else in braces (``{0.__class__}``,
    ``{ort name}``, ``{}``) is plain text: templates are never passed to ``str.format``, so
    there is no attribute or index lookup to abuse. Values are inserted verbatim in one pass:
    a value containing ``{datum}`` stays exactly that.

Recurring posts
    ``post_make_recurring`` turns a planned post (the *origin*, occurrence 0) into a series.
    Each further occurrence is a separate post, a copy made through ``post_create`` (same unit,
    title, text, link, topic, media, channels and per-channel texts) with ``recurrence`` set.
    Copies are created for a rolling horizon (``HORIZON``, at most ``MAX_AHEAD`` ahead) by the
    periodic task ``editorial.tasks.extend_recurring_series``; ``Recurrence.generated_count``
    records how far the series has been handled, so running the task twice creates nothing
    twice, and a withdrawn or moved occurrence is never re-created.

    Times follow the Berlin wall clock: a weekly post at 09:00 stays at 09:00 local time
    across the change to and from summer time. Monthly on the 29th to 31st falls on the last day
    of shorter months (31 Jan → 28/29 Feb → 31 Mar: each date is computed from the first
    post, so the day does not drift). A wall-clock time that does not exist on a
    spring-forward day (02:30) moves one hour later (03:30); one that happens twice in autumn
    takes the first (summer-time) instant — the rules of RFC 5545.

Approval of a series
    Each occurrence is its own post with its own status. When the origin is approved, every
    future occurrence whose content hash (``editorial.content.post_content_hash``) is
    identical to the origin's approved hash is approved along with it: the approvals are
    copied (same approvers, same time of approval, so expiry rules apply as to the origin),
    and each occurrence's transition is audited. Occurrences with different content (edited
    copies) are not touched and go through review by themselves; an approved occurrence that
    is edited later returns to review through ``post_update`` as every post does.
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.models import OrgUnit, Role, User
from accounts.selectors import unit_ids_for_roles
from channels_app.models import Channel
from editorial.content import post_content_hash
from editorial.models import Approval, Post, PostTemplate, PostVariant, Recurrence
from editorial.selectors import (
    channels_for_drafting,
    current_approvals,
    editorial_policy_for,
    units_for_authoring,
    user_may_approve_post,
    user_may_edit_post,
)

# The status machine and the scheduling of variants stay in ``editorial.services``: the
# carried-over approval goes through exactly the same transition code as a normal one.
from editorial.services import (
    post_create,
    post_transition,
    post_withdraw,
    variant_update,
    variants_schedule,
)
from editorial.timeutil import BERLIN

logger = logging.getLogger(__name__)

S = Post.Status

# How far ahead occurrences exist as posts (so they appear in the calendar and can be
# reviewed), and at most how many per series: a daily series should not flood the plan.
HORIZON = timedelta(weeks=8)
MAX_AHEAD = 12
# A series whose first post lies far in the past skips its past dates; bound the work.
_MAX_STEPS = 5000

EMERGENCY_ROLES = (Role.CHANNEL_ADMIN, Role.SYSTEM_ADMIN)
TEMPLATE_CONTENT_FIELDS = ("name", "kind", "title", "text", "website_link")

# ``{{`` / ``}}`` first, so that ``{{ort}}`` is the literal text ``{ort}``.
_TOKEN = re.compile(r"\{\{|\}\}|\{(\w{1,50})\}")


# --- Placeholders ---------------------------------------------------------------------------


def _tokens(text: str) -> Iterator[tuple[bool, str]]:
    """(is_placeholder, text or name) in order."""
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            yield False, text[position : match.start()]
        piece = match.group(0)
        if piece == "{{":
            yield False, "{"
        elif piece == "}}":
            yield False, "}"
        else:
            yield True, match.group(1)
        position = match.end()
    if position < len(text):
        yield False, text[position:]


def template_placeholders(text: str) -> list[str]:
    """The placeholder names in ``text``, each once, in order of first appearance."""
    names: list[str] = []
    for is_name, value in _tokens(text):
        if is_name and value not in names:
            names.append(value)
    return names


def template_render(text: str, values: Mapping[str, Any]) -> str:
    """``text`` with every placeholder replaced by its value (plain text, inserted as is).

    Raises ``ValidationError`` naming every placeholder without a value."""
    missing = [name for name in template_placeholders(text) if not _value(values, name)]
    if missing:
        raise _missing_error(missing)
    return "".join(_value(values, value) if is_name else value for is_name, value in _tokens(text))


def _value(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name)
    return "" if value is None else str(value).strip()


def _missing_error(names: list[str]) -> ValidationError:
    return ValidationError(
        _("Fill in every placeholder. Missing: %(names)s")
        % {"names": ", ".join(f"{{{name}}}" for name in names)},
        code="missing_placeholders",
        params={"names": names},
    )


def post_template_placeholders(template: PostTemplate) -> list[str]:
    """Placeholders of the template's internal title and text, each once."""
    names = template_placeholders(template.title)
    return names + [n for n in template_placeholders(template.text) if n not in names]


# --- Reads ----------------------------------------------------------------------------------


def post_templates_for_user(user: User) -> QuerySet[PostTemplate]:
    """Templates of the units where the user holds any role (and the units below)."""
    return PostTemplate.objects.filter(unit_id__in=unit_ids_for_roles(user, Role.values))


def post_template_list_for_user(user: User) -> QuerySet[PostTemplate]:
    """For lists: unit and channels in a constant number of queries."""
    return (
        post_templates_for_user(user)
        .select_related("unit")
        .prefetch_related(Prefetch("channels", queryset=Channel.objects.order_by("name")))
        .order_by("unit__path", "name", "id")
    )


def user_may_mark_emergency(user: User, unit: OrgUnit) -> bool:
    return unit.pk in unit_ids_for_roles(user, EMERGENCY_ROLES)


def user_may_edit_template(user: User, template: PostTemplate) -> bool:
    """Editors of the unit; for an emergency template, only those who may also mark it."""
    if template.unit_id not in unit_ids_for_roles(user, [Role.EDITOR]):
        return False
    return not template.is_emergency or user_may_mark_emergency(user, template.unit)


def user_may_use_template(user: User, template: PostTemplate) -> bool:
    return units_for_authoring(user).exists() and template.unit_id in unit_ids_for_roles(
        user, Role.values
    )


def series_posts(recurrence: Recurrence) -> QuerySet[Post]:
    return (
        Post.objects.filter(recurrence=recurrence)
        .select_related("unit", "author")
        .prefetch_related(
            Prefetch("variants", queryset=PostVariant.objects.select_related("channel"))
        )
        .order_by("planned_at", "id")
    )


# --- Templates: writes ----------------------------------------------------------------------


def _template_snapshot(template: PostTemplate) -> dict[str, Any]:
    return {
        "unit": template.unit_id,
        "name": template.name,
        "kind": template.kind,
        "title": template.title,
        "text": template.text,
        "website_link": template.website_link,
        "channels": sorted(c.pk for c in template.channels.all()) if template.pk else [],
        "is_emergency": template.is_emergency,
    }


def _check_channels(actor: User, channels: Iterable[Channel]) -> list[Channel]:
    channels = list(channels)
    allowed = set(channels_for_drafting(actor).values_list("id", flat=True))
    if any(channel.pk not in allowed for channel in channels):
        raise ValidationError({"channels": _("You may not post on one of these channels.")})
    return channels


def _emergency_denied() -> PermissionDenied:
    return PermissionDenied(
        _(
            "Only channel admins and system admins of the unit may mark emergency templates,"
            " and only editors who hold that right too may change or delete them."
        )
    )


@transaction.atomic
def post_template_create(
    *,
    actor: User,
    unit: OrgUnit,
    name: str,
    title: str,
    text: str,
    kind: str = PostTemplate.Kind.OTHER,
    website_link: str = "",
    channels: Iterable[Channel] = (),
    is_emergency: bool = False,
    request: HttpRequest | None = None,
) -> PostTemplate:
    if not units_for_authoring(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied
    if is_emergency and not user_may_mark_emergency(actor, unit):
        raise _emergency_denied()
    channels = _check_channels(actor, channels)
    template = PostTemplate(
        unit=unit,
        name=name,
        kind=kind,
        title=title,
        text=text,
        website_link=website_link,
        is_emergency=is_emergency,
    )
    template.full_clean()
    template.save()
    template.channels.set(channels)
    audit_log(
        action="editorial.template.created",
        actor=actor,
        request=request,
        target=template,
        unit=unit,
        after=_template_snapshot(template),
    )
    return template


@transaction.atomic
def post_template_update(
    *,
    actor: User,
    template: PostTemplate,
    channels: Iterable[Channel] | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> PostTemplate:
    """Change content (editors) and/or the emergency mark (channel and system admins).

    Only fields whose value actually changes count, so a form that sends every field does
    not need rights for the ones it leaves alone."""
    template = PostTemplate.objects.select_for_update().select_related("unit").get(pk=template.pk)
    unknown = set(fields) - {*TEMPLATE_CONTENT_FIELDS, "is_emergency"}
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    before = _template_snapshot(template)
    changed = {name for name, value in fields.items() if getattr(template, name) != value}
    new_channels = None if channels is None else list(channels)
    if new_channels is not None and sorted(c.pk for c in new_channels) != before["channels"]:
        changed.add("channels")
    if changed - {"is_emergency"} and not user_may_edit_template(actor, template):
        if template.unit_id in unit_ids_for_roles(actor, [Role.EDITOR]):
            raise _emergency_denied()
        raise PermissionDenied
    if "is_emergency" in changed and not user_may_mark_emergency(actor, template.unit):
        raise _emergency_denied()
    if not changed:
        return template
    for name in changed - {"channels"}:
        setattr(template, name, fields[name])
    template.full_clean()
    template.save()
    if "channels" in changed and new_channels is not None:
        template.channels.set(_check_channels(actor, new_channels))
    audit_log(
        action="editorial.template.updated",
        actor=actor,
        request=request,
        target=template,
        unit=template.unit,
        before=before,
        after=_template_snapshot(template),
    )
    return template


@transaction.atomic
def post_template_delete(
    *, actor: User, template: PostTemplate, request: HttpRequest | None = None
) -> None:
    template = PostTemplate.objects.select_for_update().select_related("unit").get(pk=template.pk)
    if not user_may_edit_template(actor, template):
        if template.is_emergency and template.unit_id in unit_ids_for_roles(actor, [Role.EDITOR]):
            raise _emergency_denied()
        raise PermissionDenied
    # Written before the row goes: the entry keeps the id and name of what was deleted.
    audit_log(
        action="editorial.template.deleted",
        actor=actor,
        request=request,
        target=template,
        unit=template.unit,
        before=_template_snapshot(template),
    )
    template.delete()


@transaction.atomic
def post_from_template(
    *,
    actor: User,
    template: PostTemplate,
    values: Mapping[str, Any],
    planned_at: datetime | None = None,
    unit: OrgUnit | None = None,
    request: HttpRequest | None = None,
) -> Post:
    """A draft with the template's text (placeholders filled in), link and channels."""
    if not user_may_use_template(actor, template):
        raise PermissionDenied
    missing = [n for n in post_template_placeholders(template) if not _value(values, n)]
    if missing:
        raise _missing_error(missing)
    post = post_create(
        actor=actor,
        unit=unit or template.unit,
        title=template_render(template.title, values),
        text=template_render(template.text, values),
        website_link=template.website_link,
        planned_at=planned_at,
        channels=template.channels.all(),
        request=request,
    )
    post.template = template
    # The emergency mark travels with the draft: the crisis rules decide what it allows.
    post.is_emergency = template.is_emergency
    post.save(update_fields=["template", "is_emergency"])
    used = {name: _value(values, name) for name in post_template_placeholders(template)}
    audit_log(
        action="editorial.post.created_from_template",
        actor=actor,
        request=request,
        target=post,
        unit=post.unit,
        data={"template": template.pk, "template_name": template.name, "values": used},
    )
    return post


# --- Recurrence: dates ----------------------------------------------------------------------


def _add_months(day: date, months: int, anchor_day: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(anchor_day, calendar.monthrange(year, month)[1]))


def _wall_to_aware(naive: datetime) -> datetime:
    # zoneinfo with fold=0: a time inside the spring gap takes the offset before it (02:30
    # becomes 03:30 CEST), an autumn time that happens twice the first, summer-time instant.
    # The round trip through UTC normalises (``astimezone`` to the same zone is a no-op).
    return naive.replace(tzinfo=BERLIN).astimezone(UTC).astimezone(BERLIN)


def occurrence_at(recurrence: Recurrence, start: datetime, index: int) -> datetime | None:
    """Occurrence ``index`` (0 is ``start`` itself), or None after the series' end."""
    if index == 0:
        return start
    if recurrence.count is not None and index >= recurrence.count:
        return None
    local = timezone.localtime(start, BERLIN)
    step = index * recurrence.interval
    if recurrence.frequency == Recurrence.Frequency.DAILY:
        day = local.date() + timedelta(days=step)
    elif recurrence.frequency == Recurrence.Frequency.WEEKLY:
        day = local.date() + timedelta(weeks=step)
    else:
        day = _add_months(local.date(), step, local.day)
    if recurrence.until is not None and day > recurrence.until:
        return None
    return _wall_to_aware(datetime.combine(day, local.time().replace(fold=0)))


def recurrence_occurrences(
    recurrence: Recurrence, start: datetime | None = None, limit: int = 10
) -> list[datetime]:
    """The first ``limit`` occurrences from ``start`` (default: the series' anchor), the
    first being ``start`` itself; fewer if ``count`` or ``until`` end the series earlier."""
    start = start or recurrence.starts_at
    if start is None:
        return []
    result: list[datetime] = []
    for index in range(limit):
        moment = occurrence_at(recurrence, start, index)
        if moment is None:
            break
        result.append(moment)
    return result


def recurrence_upcoming(
    recurrence: Recurrence, *, after: datetime | None = None, limit: int = 5
) -> list[datetime]:
    """Dates not yet created as posts (the periodic task creates them later)."""
    if recurrence.stopped_at or recurrence.starts_at is None:
        return []
    result: list[datetime] = []
    index = recurrence.generated_count
    after = after or timezone.now()
    while len(result) < limit and index < recurrence.generated_count + _MAX_STEPS:
        moment = occurrence_at(recurrence, recurrence.starts_at, index)
        if moment is None:
            break
        if moment > after:
            result.append(moment)
        index += 1
    return result


# --- Recurrence: writes ---------------------------------------------------------------------


def _validate_rule(
    *, frequency: str, interval: int, until: date | None, count: int | None, start: datetime
) -> None:
    errors: dict[str, str] = {}
    if frequency not in Recurrence.Frequency.values:
        errors["frequency"] = _("Choose daily, weekly or monthly.")
    if not 1 <= interval <= 99:
        errors["interval"] = _("Repeat every 1 to 99 days, weeks or months.")
    if count is not None and not 2 <= count <= 500:
        errors["count"] = _("A series has 2 to 500 posts (including this one).")
    if until is not None and until <= timezone.localtime(start, BERLIN).date():
        errors["until"] = _("The end date must be after the first post's date.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def post_make_recurring(
    *,
    actor: User,
    post: Post,
    frequency: str,
    interval: int = 1,
    until: date | None = None,
    count: int | None = None,
    request: HttpRequest | None = None,
) -> Recurrence:
    """Repeat ``post``: ``count`` is the total number of posts including this one; ``until``
    the last day (inclusive, Berlin date). Without either, the series runs until stopped."""
    post = Post.objects.select_for_update().select_related("unit").get(pk=post.pk)
    if not user_may_edit_post(actor, post):
        raise PermissionDenied
    if (
        post.recurrence_id is not None
        and Recurrence.objects.filter(id=post.recurrence_id, stopped_at__isnull=True).exists()
    ):
        raise ValidationError(_("This post already belongs to a series. Stop that one first."))
    if post.status == S.WITHDRAWN:
        raise ValidationError(_("A withdrawn post cannot be repeated."))
    if post.planned_at is None:
        raise ValidationError(_("Plan a date and time first: the series repeats from it."))
    _validate_rule(
        frequency=frequency, interval=interval, until=until, count=count, start=post.planned_at
    )
    recurrence = Recurrence(
        frequency=frequency,
        interval=interval,
        until=until,
        count=count,
        origin=post,
        starts_at=post.planned_at,
        generated_count=1,
        created_by=actor,
    )
    recurrence.full_clean()
    recurrence.save()
    post.recurrence = recurrence
    post.save(update_fields=["recurrence"])
    audit_log(
        action="editorial.series.created",
        actor=actor,
        request=request,
        target=post,
        unit=post.unit,
        after={
            "recurrence": recurrence.pk,
            "frequency": frequency,
            "interval": interval,
            "until": until.isoformat() if until else None,
            "count": count,
            "starts_at": post.planned_at.isoformat(),
        },
    )
    recurrence_extend(recurrence_id=recurrence.pk)
    return recurrence


def _copy(origin: Post, recurrence: Recurrence, planned_at: datetime, actor: User) -> Post:
    variants = list(origin.variants.select_related("channel").prefetch_related("variant_media"))
    copy = post_create(
        actor=actor,
        unit=origin.unit,
        title=origin.title,
        text=origin.text,
        website_link=origin.website_link,
        topic=origin.topic,
        planned_at=planned_at,
        channels=[v.channel for v in variants],
        media_ids=[pm.asset_id for pm in origin.post_media.all()],
    )
    for variant in variants:
        if variant.text_override or variant.media_override:
            variant_update(
                actor=actor,
                variant=copy.variants.get(channel=variant.channel),
                text_override=variant.text_override,
                media_override=variant.media_override,
                media_ids=[vm.asset_id for vm in variant.variant_media.all()],
            )
    copy.recurrence = recurrence
    copy.template = origin.template
    copy.is_emergency = origin.is_emergency
    copy.save(update_fields=["recurrence", "template", "is_emergency"])
    return copy


@transaction.atomic
def recurrence_extend(*, recurrence_id: int, now: datetime | None = None) -> list[Post]:
    """Create the occurrences due within the horizon; idempotent.

    The row lock serialises concurrent runs (beat firing twice, a user and the worker):
    the second sees the first's ``generated_count`` and creates nothing again."""
    recurrence = Recurrence.objects.select_for_update().get(pk=recurrence_id)
    origin = (
        Post.objects.select_related("unit", "topic").filter(id=recurrence.origin_id).first()
        if recurrence.origin_id is not None
        else None
    )
    actor = recurrence.created_by
    if recurrence.stopped_at or origin is None or recurrence.starts_at is None or actor is None:
        return []
    now = now or timezone.now()
    ahead = sum(
        1
        for index in range(1, recurrence.generated_count)
        if (moment := occurrence_at(recurrence, recurrence.starts_at, index)) and moment > now
    )
    created: list[Post] = []
    index = recurrence.generated_count
    for _step in range(_MAX_STEPS):
        moment = occurrence_at(recurrence, recurrence.starts_at, index)
        if moment is None or moment > now + HORIZON or ahead >= MAX_AHEAD:
            break
        if moment > now:
            created.append(_copy(origin, recurrence, moment, actor))
            ahead += 1
        index += 1
    if index == recurrence.generated_count:
        return []
    recurrence.generated_count = index
    recurrence.save(update_fields=["generated_count"])
    if created:
        audit_log(
            action="editorial.series.extended",
            actor=actor,
            target=origin,
            unit=origin.unit,
            data={"recurrence": recurrence.pk, "created": [p.pk for p in created]},
        )
        recurrence_carry_approval(origin=origin, actor=None, now=now)
    return created


def _carry(
    *, origin: Post, approvals: list[Approval], post: Post, actor: User | None, now: datetime
) -> bool:
    post = Post.objects.select_for_update().select_related("unit").get(pk=post.pk)
    if post.status not in (S.DRAFT, S.IN_REVIEW) or not post.planned_at or post.planned_at <= now:
        return False
    content_hash = post_content_hash(post)
    if content_hash != origin.approved_hash:
        return False
    approvers = [a.approver for a in approvals]
    # Four eyes and current rights hold for every occurrence, not only for the origin.
    if any(
        u.pk == post.author_id or not u.is_active or not user_may_approve_post(u, post)
        for u in approvers
    ):
        return False
    already = set(current_approvals(post).values_list("approver_id", flat=True))
    if (
        len(already | {u.pk for u in approvers})
        < editorial_policy_for(post.unit).required_approvals
    ):
        return False
    data = {"origin": origin.pk, "content_hash": content_hash}
    if post.status == S.DRAFT:
        post_transition(
            post,
            S.IN_REVIEW,
            actor=actor,
            request=None,
            action="editorial.series.occurrence_submitted",
            data=data,
        )
    Approval.objects.bulk_create(
        Approval(
            post=post,
            approver=approval.approver,
            decision=Approval.Decision.APPROVED,
            comment=approval.comment,
            content_hash=content_hash,
            # The original time: an approval that expires after N days expires for every
            # occurrence it was carried to, not N days after the copy.
            created_at=approval.created_at,
        )
        for approval in approvals
        if approval.approver_id not in already
    )
    post.approved_hash = content_hash
    post.approved_at = origin.approved_at
    post.save(update_fields=["approved_hash", "approved_at"])
    post_transition(
        post,
        S.SCHEDULED,
        actor=actor,
        request=None,
        action="editorial.series.approval_carried_over",
        data={**data, "approvers": [u.pk for u in approvers]},
    )
    variants_schedule(post)
    return True


@transaction.atomic
def recurrence_carry_approval(
    *, origin: Post, actor: User | None = None, now: datetime | None = None
) -> list[int]:
    """Approve the future occurrences whose content is identical to the approved origin.

    Call after the origin's approval (the periodic task also sweeps). Emergency approvals
    are not carried: they answer one crisis, not a series."""
    recurrence = Recurrence.objects.filter(origin=origin, stopped_at__isnull=True).first()
    origin = Post.objects.get(pk=origin.pk)
    carries = S.APPROVED, S.SCHEDULED, S.PUBLISHING, S.PUBLISHED, S.PARTLY_FAILED
    if recurrence is None or origin.status not in carries or not origin.approved_hash:
        return []
    approvals = list(
        current_approvals(origin)
        .filter(content_hash=origin.approved_hash)
        .select_related("approver")
    )
    if not approvals or any(a.is_emergency for a in approvals):
        return []
    now = now or timezone.now()
    candidates = (
        Post.objects.filter(
            recurrence=recurrence,
            status__in=[S.DRAFT, S.IN_REVIEW],
            planned_at__gt=now,
        )
        .exclude(pk=origin.pk)
        .order_by("planned_at", "id")
    )
    return [
        post.pk
        for post in candidates
        if _carry(origin=origin, approvals=approvals, post=post, actor=actor, now=now)
    ]


def recurrence_extend_all(now: datetime | None = None) -> int:
    """For the periodic task: every running series, each in its own transaction so that one
    broken series (its creator lost the right to draft) does not hold up the others."""
    created = 0
    ids = Recurrence.objects.filter(stopped_at__isnull=True, origin__isnull=False).values_list(
        "id", "origin_id"
    )
    for recurrence_id, origin_id in list(ids):
        try:
            created += len(recurrence_extend(recurrence_id=recurrence_id, now=now))
            origin = Post.objects.get(pk=origin_id)
            recurrence_carry_approval(origin=origin, now=now)
        except (PermissionDenied, ValidationError) as error:
            logger.warning("Recurring series %s not extended: %s", recurrence_id, error)
    return created


@transaction.atomic
def recurrence_stop(
    *, actor: User, recurrence: Recurrence, request: HttpRequest | None = None
) -> list[int]:
    """End the series: no more occurrences, and the future unpublished ones are withdrawn
    (the first post itself stays; it can be withdrawn on its own)."""
    recurrence = Recurrence.objects.select_for_update().get(pk=recurrence.pk)
    origin = (
        Post.objects.select_related("unit").filter(id=recurrence.origin_id).first()
        if recurrence.origin_id is not None
        else None
    )
    if origin is None or not (
        user_may_edit_post(actor, origin) or user_may_approve_post(actor, origin)
    ):
        raise PermissionDenied
    if recurrence.stopped_at is not None:
        raise ValidationError(_("This series has already been stopped."))
    now = timezone.now()
    recurrence.stopped_at = now
    recurrence.save(update_fields=["stopped_at"])
    withdrawn = []
    future = (
        Post.objects.filter(
            recurrence=recurrence,
            planned_at__gt=now,
            status__in=[S.DRAFT, S.IN_REVIEW, S.REJECTED, S.APPROVED, S.SCHEDULED],
        )
        .exclude(pk=origin.pk)
        .order_by("planned_at", "id")
    )
    for post in future:
        post_withdraw(actor=actor, post=post, reason=_("Series stopped"), request=request)
        withdrawn.append(post.pk)
    audit_log(
        action="editorial.series.stopped",
        actor=actor,
        request=request,
        target=origin,
        unit=origin.unit,
        before={"stopped_at": None},
        after={"stopped_at": now.isoformat()},
        data={"recurrence": recurrence.pk, "withdrawn": withdrawn},
    )
    return withdrawn
