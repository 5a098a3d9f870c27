"""Recurring posts: occurrences of a rule, series made, extended, stopped, and an
approval carried over to identical occurrences."""

from __future__ import annotations

import calendar
import logging
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.models import User
from editorial.common.content import post_content_hash
from editorial.common.timeutil import BERLIN
from editorial.models import Approval
from editorial.models import Post
from editorial.models import PostVariant
from editorial.models import Recurrence
from editorial.policy.selectors import editorial_policy_for
from editorial.posts.permissions import user_may_approve_post
from editorial.posts.permissions import user_may_edit_post
from editorial.posts.selectors import current_approvals

# The status machine and the scheduling of variants stay in ``editorial.posts.services``:
# the carried-over approval goes through exactly the same transition code as a normal one.
from editorial.posts.services import post_audit
from editorial.posts.services import post_create
from editorial.posts.services import post_transition
from editorial.posts.services import post_withdraw
from editorial.posts.services import variant_update
from editorial.posts.services import variants_schedule

S = Post.Status

logger = logging.getLogger(__name__)

# How far ahead occurrences exist as posts (so they appear in the calendar and can be
# reviewed), and at most how many per series: a daily series should not flood the plan.
HORIZON = timedelta(weeks=8)
MAX_AHEAD = 12
# A series whose first post lies far in the past skips its past dates; bound the work.
_MAX_STEPS = 5000


def series_posts(recurrence: Recurrence) -> QuerySet[Post]:
    return (
        Post.objects.filter(recurrence=recurrence)
        .select_related("unit", "author")
        .prefetch_related(
            Prefetch("variants", queryset=PostVariant.objects.select_related("channel"))
        )
        .order_by("planned_at", "id")
    )


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
    post_audit(
        "editorial.series.created",
        post,
        actor,
        request,
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
        content_warning=origin.content_warning,
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
    post_audit(
        "editorial.series.stopped",
        origin,
        actor,
        request,
        before={"stopped_at": None},
        after={"stopped_at": now.isoformat()},
        data={"recurrence": recurrence.pk, "withdrawn": withdrawn},
    )
    return withdrawn


def recurrence_carry_approval_on_approval(
    sender: Any, post: Post, actor: User | None, **kwargs: Any
) -> None:
    """Receiver of ``editorial.posts.events.post_approved``: occurrences of a series with
    exactly this content are approved along with it."""
    if post.recurrence_id:
        recurrence_carry_approval(origin=post, actor=actor)
