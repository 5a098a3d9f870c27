"""Crisis mode: start and end a pause, decide on missed posts, emergency posts from
templates (one approval, passes any pause). All audited."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.audit import audit_snapshot
from accounts.audited import save_audited
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.notifications import notifications_resolve
from accounts.notifications import notify
from channels_app.models import Channel
from editorial.common.placeholders import template_fill
from editorial.crisis.permissions import emergency_approvers_for
from editorial.crisis.permissions import user_is_emergency_approver
from editorial.crisis.permissions import user_may_manage_pause
from editorial.crisis.permissions import user_may_manage_pause_scope
from editorial.crisis.selectors import _covering
from editorial.crisis.selectors import emergency_templates_for_user
from editorial.crisis.selectors import missed_posts
from editorial.crisis.selectors import pause_scope_label
from editorial.models import Post
from editorial.models import PostTemplate
from editorial.models import PublishingPause
from editorial.posts.permissions import four_eyes_check
from editorial.posts.selectors import posts_for_user
from editorial.posts.selectors import units_for_authoring
from editorial.posts.services import approval_record
from editorial.posts.services import author_notify
from editorial.posts.services import post_audit
from editorial.posts.services import post_create
from editorial.posts.services import post_lock
from editorial.posts.services import post_reschedule
from editorial.posts.services import post_submit
from editorial.posts.services import post_transition
from editorial.posts.services import post_withdraw
from editorial.posts.services import variants_schedule

S = Post.Status


# --- Starting and ending a pause ------------------------------------------------------------


def _pause_snapshot(pause: PublishingPause) -> dict[str, Any]:
    return audit_snapshot(pause, "unit", "channel", "reason", "started_at", "ended_at")


def _pause_unit(pause: PublishingPause) -> OrgUnit | None:
    """The unit an audit entry of the pause belongs to (so that its auditors see it)."""
    if pause.channel_id is not None:
        return pause.channel.unit  # type: ignore[union-attr]
    return pause.unit


def _people_to_alert(pause: PublishingPause, actor: User) -> QuerySet[User]:
    """Approvers and channel admins responsible for the scope: holders of the role on the
    scope's unit, above it, or (for a unit pause) below it."""
    roles = [Role.APPROVER, Role.CHANNEL_ADMIN]
    if pause.channel_id is not None:
        scope = Q(role_assignments__unit_id__in=pause.channel.unit.ancestor_ids)  # type: ignore[union-attr]
    elif pause.unit_id is not None:
        unit = pause.unit
        assert unit is not None
        scope = Q(role_assignments__unit_id__in=unit.ancestor_ids) | Q(
            role_assignments__unit__path__startswith=unit.path
        )
    else:
        scope = Q()
    return (
        User.objects.filter(scope, is_active=True, role_assignments__role__in=roles)
        .exclude(pk=actor.pk)
        .distinct()
    )


@transaction.atomic
def pause_start(
    *,
    actor: User,
    reason: str,
    unit: OrgUnit | None = None,
    channel: Channel | None = None,
    request: HttpRequest | None = None,
) -> PublishingPause:
    """Stop everything scheduled in the scope from going out, effective immediately."""
    if unit is not None and channel is not None:
        raise ValidationError(_("Pause either a channel or a unit, not both."))
    if not user_may_manage_pause_scope(actor, unit=unit, channel=channel):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why publishing is paused.")})
    duplicate = PublishingPause.objects.filter(
        ended_at__isnull=True, unit=unit, channel=channel
    ).exists()
    if duplicate:
        raise ValidationError(_("Publishing is already paused for exactly this scope."))
    pause = PublishingPause(unit=unit, channel=channel, reason=reason, started_by=actor)
    save_audited(
        pause,
        action="editorial.pause.started",
        actor=actor,
        request=request,
        unit=_pause_unit(pause),
        after=_pause_snapshot,
        data={"scope": pause_scope_label(pause)},
    )
    notify(
        recipients=_people_to_alert(pause, actor),
        kind="editorial.pause_started",
        context={"scope": pause_scope_label(pause), "reason": reason, "by": str(actor)},
        link="/editorial/crisis/",
        unit=_pause_unit(pause),
    )
    return pause


@transaction.atomic
def pause_end(*, actor: User, pause: PublishingPause, request: HttpRequest | None = None) -> None:
    """Resume. Nothing that was due during the pause goes out by itself: see
    ``missed_posts``, each of which must be rescheduled or discarded."""
    caller_copy = pause
    pause = (
        PublishingPause.objects.select_for_update(of=("self",))
        .select_related("unit", "channel__unit")
        .get(pk=pause.pk)
    )
    if not user_may_manage_pause(actor, pause):
        raise PermissionDenied
    if pause.ended_at is not None:
        raise ValidationError(_("This pause has already ended."))
    before = _pause_snapshot(pause)
    pause.ended_at = timezone.now()
    pause.ended_by = actor
    pause.save(update_fields=["ended_at", "ended_by"])
    # The caller's object must not go on looking active (``missed_posts`` reads ended_at).
    caller_copy.ended_at, caller_copy.ended_by = pause.ended_at, actor
    audit_log(
        action="editorial.pause.ended",
        actor=actor,
        request=request,
        target=pause,
        unit=_pause_unit(pause),
        before=before,
        after=_pause_snapshot(pause),
        data={"missed_posts": list(missed_posts(pause).values_list("pk", flat=True))},
    )


def _check_missed(actor: User, post: Post) -> None:
    if not posts_for_user(actor).filter(pk=post.pk).exists():
        raise PermissionDenied


@transaction.atomic
def missed_post_reschedule(
    *, actor: User, post: Post, planned_at: datetime, request: HttpRequest | None = None
) -> Post:
    """Give a missed post a new time; it then goes out at that time (approval kept)."""
    _check_missed(actor, post)
    if planned_at <= timezone.now():
        raise ValidationError({"planned_at": _("Choose a time in the future.")})
    before = post.planned_at
    post = post_reschedule(actor=actor, post=post, planned_at=planned_at, request=request)
    post_audit(
        "editorial.pause.missed_post_rescheduled",
        post,
        actor,
        request,
        before={"planned_at": before.isoformat() if before else None},
        after={"planned_at": planned_at.isoformat()},
    )
    return post


@transaction.atomic
def missed_post_discard(
    *, actor: User, post: Post, reason: str, request: HttpRequest | None = None
) -> Post:
    """Do not publish a missed post at all: it is withdrawn, with the reason."""
    _check_missed(actor, post)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the post is discarded.")})
    post = post_withdraw(actor=actor, post=post, reason=reason, request=request)
    post_audit(
        "editorial.pause.missed_post_discarded", post, actor, request, data={"reason": reason}
    )
    return post


def _emergency_unit(actor: User, template: PostTemplate) -> OrgUnit:
    units = units_for_authoring(actor)
    if units.filter(pk=template.unit_id).exists():
        return template.unit
    unit = units.order_by("path").first()
    if unit is None:
        raise PermissionDenied
    return unit


@transaction.atomic
def emergency_post_create(
    *,
    actor: User,
    template: PostTemplate,
    values: Mapping[str, str],
    channels: Iterable[Channel],
    request: HttpRequest | None = None,
) -> Post:
    """Fill an emergency template, target the chosen channels, plan it for now and submit it
    for one emergency approval."""
    if not emergency_templates_for_user(actor).filter(pk=template.pk).exists():
        raise PermissionDenied
    channels = list(channels)
    if not channels:
        raise ValidationError({"channels": _("Choose at least one channel.")})
    title, text = template_fill(template, values)
    post = post_create(
        actor=actor,
        unit=_emergency_unit(actor, template),
        title=title[:200],
        text=text,
        website_link=template.website_link,
        planned_at=timezone.now(),
        channels=channels,
        request=request,
    )
    # Set after creation inside the same transaction: the flag is never seen without the
    # audit entry below, and post_create stays the one way to create a post.
    post.is_emergency = True
    post.template = template
    post.save(update_fields=["is_emergency", "template"])
    post_audit(
        "editorial.post.emergency_created",
        post,
        actor,
        request,
        data={"template": template.pk, "channels": sorted(c.pk for c in channels)},
    )
    post = post_submit(actor=actor, post=post, request=request)
    notify(
        recipients=[u for u in emergency_approvers_for(post) if u.pk != actor.pk],
        kind="editorial.emergency_approval_requested",
        context={"title": post.title, "author": str(actor)},
        link=_emergency_approval_link(post),
        unit=post.unit,
    )
    return post


def _emergency_approval_link(post: Post) -> str:
    return f"/editorial/crisis/emergency/{post.pk}/approve/"


def emergency_requests_resolve(sender: Any, post: Post, **kwargs: Any) -> None:
    """Receiver of ``editorial.posts.events.post_review_ended``: once the emergency post is
    approved (or withdrawn), no other emergency approver is asked for it any more."""
    if post.is_emergency:
        notifications_resolve(
            kinds=["editorial.emergency_approval_requested"], link=_emergency_approval_link(post)
        )


@transaction.atomic
def emergency_post_approve(
    *, actor: User, post: Post, seen_hash: str = "", request: HttpRequest | None = None
) -> Post:
    """One approval by a designated emergency approver schedules the post for now, whatever
    the unit's number of approvals, and lets it pass every pause. ``seen_hash`` as for
    ``post_approve``: the approval covers exactly what the approver was shown."""
    post = post_lock(post)
    if not post.is_emergency:
        raise ValidationError(_("This is not an emergency post."))
    four_eyes_check(actor, post)
    if not user_is_emergency_approver(actor, post):
        raise PermissionDenied(_("Only a designated emergency approver may do this."))
    if post.status != S.IN_REVIEW:
        raise ValidationError(_("Only a post in review can be approved."))
    content_hash = approval_record(actor=actor, post=post, seen_hash=seen_hash, is_emergency=True)
    now = timezone.now()
    post.approved_hash = content_hash
    post.approved_at = now
    post.planned_at = now
    post.save(update_fields=["approved_hash", "approved_at", "planned_at"])
    bypassed = [
        pause.pk
        for variant in post.variants.all()
        for pause in PublishingPause.objects.filter(
            _covering(variant.channel_id, variant.channel.unit.path), ended_at__isnull=True
        )
    ]
    post_transition(
        post,
        S.SCHEDULED,
        actor=actor,
        request=request,
        action="editorial.post.emergency_approved",
        data={
            "content_hash": content_hash,
            "emergency": True,
            # Not "bypass": audit data masks keys that look like "pass(word)".
            "overrides_pauses": True,
            "active_pauses_overridden": sorted(set(bypassed)),
        },
    )
    variants_schedule(post)
    author_notify(post, "editorial.post_approved")
    return post
