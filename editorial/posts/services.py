"""Writing posts: create, edit, channel texts, the four-eyes workflow, comments. Every
change is audited; the state machine is ``editorial.posts.status``.

Longer than most services modules on purpose: every write that moves a post through its
states is here, next to the locking and content-hash rules they share, so that no path can
skip a check another path makes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Sequence
from datetime import datetime
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_snapshot
from accounts.audited import audit_about
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.notifications import notifications_resolve
from accounts.notifications import notify
from accounts.permissions import APPROVE_ON_CHANNEL
from accounts.selectors import unit_ids_for_roles
from accounts.updates import editable_fields_check
from channels_app.models import Channel
from channels_app.selectors import channels_for_user
from editorial.common.content import post_content_hash
from editorial.models import Approval
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostComment
from editorial.models import PostMedia
from editorial.models import PostVariant
from editorial.models import Topic
from editorial.models import VariantMedia
from editorial.policy.selectors import editorial_policy_for
from editorial.posts.events import post_approved
from editorial.posts.events import post_review_ended
from editorial.posts.permissions import four_eyes_check
from editorial.posts.permissions import seen_content_check
from editorial.posts.permissions import user_may_approve_post
from editorial.posts.permissions import user_may_edit_post
from editorial.posts.selectors import channels_for_drafting
from editorial.posts.selectors import current_approvals
from editorial.posts.selectors import topics_for_drafting
from editorial.posts.selectors import units_for_authoring
from editorial.posts.status import APPROVED_STATES
from editorial.posts.status import EDITABLE
from editorial.posts.status import TransitionError
from editorial.posts.status import check_transition
from editorial.posts.validation import post_problems

S = Post.Status

# What an author writes on a post and post_update changes; the post form, the API and the
# audit snapshot name the same fields from here.
POST_EDITABLE_FIELDS = (
    "title",
    "text",
    "website_link",
    "content_warning",
    "topic",
    "planned_at",
)


def _snapshot(post: Post) -> dict[str, Any]:
    return {
        **audit_snapshot(post, *POST_EDITABLE_FIELDS, "status"),
        "channels": sorted(v.channel_id for v in post.variants.all()),
        "media": [pm.asset_id for pm in post.post_media.all()],
    }


def post_audit(
    action: str,
    post: Post,
    actor: User | None,
    request: HttpRequest | None,
    **payload: Any,
) -> None:
    audit_about(post, action, actor=actor, request=request, **payload)


def post_transition(
    post: Post,
    target: str,
    *,
    actor: User | None,
    request: HttpRequest | None,
    action: str,
    data: dict[str, Any] | None = None,
) -> None:
    check_transition(post.status, target)
    before = post.status
    post.status = target
    post.updated_at = timezone.now()
    post.save(update_fields=["status", "updated_at"])
    post_audit(
        action, post, actor, request, before={"status": before}, after={"status": target}, data=data
    )
    if before == S.IN_REVIEW and target != S.IN_REVIEW:
        # "Please approve" is answered for every approver at once, with the change itself.
        notifications_resolve(kinds=["editorial.review_requested"], link=post_link(post))
        post_review_ended.send(sender=Post, post=post, status=target)


def post_link(post: Post) -> str:
    """The post's page, as notifications about it link to it."""
    return f"/editorial/posts/{post.pk}/"


def post_lock(post: Post) -> Post:
    """Re-read the post under a row lock: two people acting at once see each other."""
    return Post.objects.select_for_update().select_related("unit").get(pk=post.pk)


def _assets(actor: User, asset_ids: Sequence[int], unit: OrgUnit) -> list[MediaAsset]:
    """The media the author may use, in the given order: the unit's and its ancestors'."""
    if not asset_ids:
        return []
    allowed = MediaAsset.objects.filter(unit_id__in=unit.ancestor_ids + _descendant_ids(unit))
    found = {a.pk: a for a in allowed.filter(pk__in=asset_ids)}
    missing = [pk for pk in asset_ids if pk not in found]
    if missing:
        raise ValidationError({"media": _("Unknown media.")})
    return [found[pk] for pk in asset_ids]


def drafting_topic_check(actor: User, topic: Topic | None) -> None:
    """Refuse a topic the actor's posts and slots may not be filed under."""
    if topic is not None and not topics_for_drafting(actor).filter(pk=topic.pk).exists():
        raise ValidationError({"topic": _("Unknown topic.")})


def _descendant_ids(unit: OrgUnit) -> list[int]:
    return list(OrgUnit.objects.filter(path__startswith=unit.path).values_list("id", flat=True))


def drafting_channels_checked(actor: User, channels: Iterable[Channel]) -> list[Channel]:
    """``channels`` as a list, refused unless the actor may draft on every one of them (posts,
    templates and topic slots alike)."""
    channels = list(channels)
    allowed = set(channels_for_drafting(actor).values_list("id", flat=True))
    if any(channel.pk not in allowed for channel in channels):
        raise ValidationError({"channels": _("You may not post on one of these channels.")})
    return channels


def _set_media(post: Post, assets: list[MediaAsset]) -> None:
    post.post_media.all().delete()
    PostMedia.objects.bulk_create(
        PostMedia(post=post, asset=asset, position=i) for i, asset in enumerate(assets)
    )


def _set_channels(post: Post, channels: list[Channel]) -> None:
    wanted = {c.pk for c in channels}
    post.variants.exclude(channel_id__in=wanted).delete()
    existing = set(post.variants.values_list("channel_id", flat=True))
    PostVariant.objects.bulk_create(
        PostVariant(post=post, channel=c) for c in channels if c.pk not in existing
    )


def _void_approvals(post: Post) -> int:
    """Approvals no longer count, and nothing is scheduled until approved again."""
    voided = post.approvals.filter(is_current=True).update(is_current=False)
    post.approved_hash = ""
    post.approved_at = None
    post.save(update_fields=["approved_hash", "approved_at"])
    post.variants.filter(status=PostVariant.Status.SCHEDULED).update(
        status=PostVariant.Status.PENDING, scheduled_at=None
    )
    return voided


def _after_content_change(
    post: Post, old_hash: str, *, actor: User, request: HttpRequest | None
) -> None:
    """An edit to what reaches the public after review started returns the post to review:
    approvals given for the old content do not count for the new one."""
    if post_content_hash(post) == old_hash or post.status not in (
        S.IN_REVIEW,
        S.APPROVED,
        S.SCHEDULED,
    ):
        return
    _return_to_review(post, actor=actor, request=request)


def _return_to_review(
    post: Post, *, actor: User | None, request: HttpRequest | None, **data: Any
) -> None:
    data = {"approvals_voided": _void_approvals(post), **data}
    if post.status == S.IN_REVIEW:
        post_audit("editorial.post.returned_to_review", post, actor, request, data=data)
    else:
        post_transition(
            post,
            S.IN_REVIEW,
            actor=actor,
            request=request,
            action="editorial.post.returned_to_review",
            data=data,
        )
    _notify_approvers(post)


def posts_review_after_media_change(
    *, asset: MediaAsset, actor: User | None, request: HttpRequest | None = None
) -> int:
    """An asset's alt text, caption and subtitles are part of what was approved (the content
    hash covers them): posts using it whose approvals no longer match the content go back
    to review, so that they are approved again instead of being held silently when due.
    Returns how many posts went back."""
    using = (
        Post.objects.filter(
            Q(post_media__asset=asset) | Q(variants__variant_media__asset=asset),
            status__in=[S.IN_REVIEW, S.APPROVED, S.SCHEDULED],
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    returned = 0
    for pk in list(using):
        post = post_lock(Post(pk=pk))
        content_hash = post_content_hash(post)
        if post.status == S.IN_REVIEW:
            stale = current_approvals(post).exclude(content_hash=content_hash).exists()
        else:
            stale = post.status in (S.APPROVED, S.SCHEDULED) and post.approved_hash != content_hash
        if stale:
            _return_to_review(post, actor=actor, request=request, media=asset.pk)
            returned += 1
    return returned


def posts_review_on_media_described(
    sender: Any, asset: MediaAsset, actor: User | None, request: HttpRequest | None, **kwargs: Any
) -> None:
    """Receiver of ``editorial.media.events.media_asset_described``."""
    posts_review_after_media_change(asset=asset, actor=actor, request=request)


# --- Drafting -------------------------------------------------------------------------------


@transaction.atomic
def post_create(
    *,
    actor: User,
    unit: OrgUnit,
    title: str,
    text: str = "",
    website_link: str = "",
    content_warning: str = "",
    topic: Topic | None = None,
    planned_at: datetime | None = None,
    channels: Iterable[Channel] = (),
    media_ids: Sequence[int] = (),
    request: HttpRequest | None = None,
) -> Post:
    if not units_for_authoring(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied
    channels = drafting_channels_checked(actor, channels)
    drafting_topic_check(actor, topic)
    post = Post(
        unit=unit,
        title=title,
        text=text,
        website_link=website_link,
        content_warning=content_warning,
        topic=topic,
        planned_at=planned_at,
        author=actor,
    )
    post.full_clean()
    post.save()
    _set_channels(post, channels)
    _set_media(post, _assets(actor, media_ids, unit))
    post_audit("editorial.post.created", post, actor, request, after=_snapshot(post))
    return post


@transaction.atomic
def post_update(
    *,
    actor: User,
    post: Post,
    request: HttpRequest | None = None,
    channels: Iterable[Channel] | None = None,
    media_ids: Sequence[int] | None = None,
    **fields: Any,
) -> Post:
    """Change title, text, link, content warning, topic, time, targets or media. An edit of
    what reaches the public after review started returns the post to review; a new time keeps
    the approval."""
    post = post_lock(post)
    if not user_may_edit_post(actor, post):
        raise PermissionDenied
    if post.status not in EDITABLE:
        raise TransitionError(_("A post that is being or has been published cannot be edited."))
    editable_fields_check(fields, POST_EDITABLE_FIELDS)
    if "topic" in fields and fields["topic"] != post.topic:
        drafting_topic_check(actor, fields["topic"])
    before = _snapshot(post)
    old_hash = post_content_hash(post)
    planned_at = fields.pop("planned_at", post.planned_at)
    for name, value in fields.items():
        setattr(post, name, value)
    post.updated_at = timezone.now()
    post.full_clean()
    post.save()
    if channels is not None:
        _set_channels(post, drafting_channels_checked(actor, channels))
    if media_ids is not None:
        _set_media(post, _assets(actor, media_ids, post.unit))
    if planned_at != post.planned_at:
        _move(post, planned_at, actor=actor, request=request)
    post_audit("editorial.post.updated", post, actor, request, before=before, after=_snapshot(post))
    _after_content_change(post, old_hash, actor=actor, request=request)
    return post


@transaction.atomic
def variant_update(
    *,
    actor: User,
    variant: PostVariant,
    text_override: str,
    media_override: bool,
    media_ids: Sequence[int] = (),
    request: HttpRequest | None = None,
) -> PostVariant:
    """A channel's own text or media instead of the post's.

    The post's own text sent back unchanged (edit forms pre-fill it) means no channel text:
    the channel then keeps following the post when its text is corrected later."""
    post = post_lock(variant.post)
    if not user_may_edit_post(actor, post):
        raise PermissionDenied
    if post.status not in EDITABLE:
        raise TransitionError(_("A post that is being or has been published cannot be edited."))
    if text_override.strip() == post.text.strip():
        text_override = ""
    old_hash = post_content_hash(post)
    before = {"text_override": variant.text_override, "media_override": variant.media_override}
    variant.text_override = text_override
    variant.media_override = media_override
    variant.save(update_fields=["text_override", "media_override"])
    variant.variant_media.all().delete()
    if media_override:
        VariantMedia.objects.bulk_create(
            VariantMedia(variant=variant, asset=asset, position=i)
            for i, asset in enumerate(_assets(actor, media_ids, post.unit))
        )
    post_audit(
        "editorial.variant.updated",
        post,
        actor,
        request,
        before=before,
        after={
            "text_override": text_override,
            "media_override": media_override,
            "channel": variant.channel_id,
        },
    )
    _after_content_change(post, old_hash, actor=actor, request=request)
    return variant


# --- Review and four-eyes approval ---------------------------------------------------------


def _approvers(post: Post) -> list[User]:
    """Everyone who may approve every channel of the post, except its author."""
    channel_ids = list(post.variants.values_list("channel_id", flat=True))
    if not channel_ids:
        return []
    candidates = User.objects.filter(is_active=True, role_assignments__role="approver").distinct()
    return [
        user
        for user in candidates.exclude(pk=post.author_id)
        if set(channel_ids)
        <= set(channels_for_user(user, APPROVE_ON_CHANNEL).values_list("id", flat=True))
    ]


def author_notify(post: Post, kind: str, **context: Any) -> None:
    """Tell the post's author of a decision on it (``kind``: approved, rejected), with the
    post's title and a link to it."""
    notify(
        recipients=[post.author],
        kind=kind,
        context={"title": post.title, **context},
        link=post_link(post),
        unit=post.unit,
    )


def _notify_approvers(post: Post) -> None:
    notify(
        recipients=_approvers(post),
        kind="editorial.review_requested",
        context={"title": post.title, "author": str(post.author)},
        link=post_link(post),
        unit=post.unit,
    )


@transaction.atomic
def post_submit(*, actor: User, post: Post, request: HttpRequest | None = None) -> Post:
    """Ask for approval. Refused while any channel or accessibility check reports an error."""
    post = post_lock(post)
    if not user_may_edit_post(actor, post):
        raise PermissionDenied
    if not post.variants.exists():
        raise ValidationError(_("Choose at least one channel."))
    errors = [p for p in post_problems(post) if p.severity == "error"]
    if errors:
        raise ValidationError(
            [f"{p.channel_label}: {p.message}" if p.channel_label else p.message for p in errors]
        )
    post.rejection_reason = ""
    post.save(update_fields=["rejection_reason"])
    post_transition(
        post,
        S.IN_REVIEW,
        actor=actor,
        request=request,
        action="editorial.post.submitted",
        data={"content_hash": post_content_hash(post)},
    )
    _notify_approvers(post)
    return post


def approval_record(
    *, actor: User, post: Post, seen_hash: str, comment: str = "", is_emergency: bool = False
) -> str:
    """Record ``actor``'s approval of the (locked) post as it stands, after checking that it
    is what the approver was shown (``seen_hash``); the post's content hash, which the
    approval covers."""
    content_hash = post_content_hash(post)
    seen_content_check(seen_hash, content_hash)
    Approval.objects.create(
        post=post,
        approver=actor,
        decision=Approval.Decision.APPROVED,
        comment=comment,
        content_hash=content_hash,
        is_emergency=is_emergency,
    )
    return content_hash


@transaction.atomic
def post_approve(
    *,
    actor: User,
    post: Post,
    comment: str = "",
    seen_hash: str = "",
    request: HttpRequest | None = None,
) -> Post:
    """One approval; the post is approved once the unit's number of approvals is reached.

    ``seen_hash``: the content hash of what the approver was shown (the approval page sends
    it). If the content changed since, the approval is refused: it would cover texts or
    images the approver never saw."""
    post = post_lock(post)
    four_eyes_check(actor, post)
    if not user_may_approve_post(actor, post):
        raise PermissionDenied
    if post.status != S.IN_REVIEW:
        raise TransitionError(_("Only a post in review can be approved."))
    if current_approvals(post).filter(approver=actor).exists():
        raise ValidationError(_("You have already approved this post."))
    content_hash = approval_record(actor=actor, post=post, seen_hash=seen_hash, comment=comment)
    policy = editorial_policy_for(post.unit)
    given = current_approvals(post).count()
    post_audit(
        "editorial.post.approval_given",
        post,
        actor,
        request,
        data={
            "content_hash": content_hash,
            "approvals": given,
            "required": policy.required_approvals,
            "comment": comment,
        },
    )
    if given >= policy.required_approvals:
        post.approved_hash = content_hash
        post.approved_at = timezone.now()
        post.save(update_fields=["approved_hash", "approved_at"])
        target = S.SCHEDULED if post.planned_at else S.APPROVED
        post_transition(
            post,
            target,
            actor=actor,
            request=request,
            action="editorial.post.approved",
            data={"content_hash": content_hash},
        )
        if target == S.SCHEDULED:
            variants_schedule(post)
        post_approved.send(sender=Post, post=post, actor=actor)
        author_notify(post, "editorial.post_approved")
    return post


@transaction.atomic
def post_reject(
    *, actor: User, post: Post, reason: str, request: HttpRequest | None = None
) -> Post:
    post = post_lock(post)
    if not user_may_approve_post(actor, post):
        raise PermissionDenied
    if post.status != S.IN_REVIEW:
        raise TransitionError(_("Only a post in review can be rejected."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so that the author can improve the post.")})
    Approval.objects.create(
        post=post,
        approver=actor,
        decision=Approval.Decision.REJECTED,
        comment=reason,
        content_hash=post_content_hash(post),
    )
    post.approvals.filter(decision=Approval.Decision.APPROVED).update(is_current=False)
    post.rejection_reason = reason
    post.save(update_fields=["rejection_reason"])
    post_transition(
        post,
        S.REJECTED,
        actor=actor,
        request=request,
        action="editorial.post.rejected",
        data={"reason": reason},
    )
    author_notify(post, "editorial.post_rejected", reason=reason)
    return post


@transaction.atomic
def post_reopen(*, actor: User, post: Post, request: HttpRequest | None = None) -> Post:
    """A rejected or withdrawn post goes back to draft for rework."""
    post = post_lock(post)
    if not user_may_edit_post(actor, post):
        raise PermissionDenied
    post_transition(post, S.DRAFT, actor=actor, request=request, action="editorial.post.reopened")
    return post


@transaction.atomic
def post_withdraw(
    *, actor: User, post: Post, reason: str = "", request: HttpRequest | None = None
) -> Post:
    post = post_lock(post)
    if not (user_may_edit_post(actor, post) or user_may_approve_post(actor, post)):
        raise PermissionDenied
    post_transition(
        post,
        S.WITHDRAWN,
        actor=actor,
        request=request,
        action="editorial.post.withdrawn",
        data={"reason": reason},
    )
    post.approvals.filter(is_current=True).update(is_current=False)
    post.variants.filter(
        status__in=[PostVariant.Status.PENDING, PostVariant.Status.SCHEDULED]
    ).update(status=PostVariant.Status.SKIPPED, scheduled_at=None)
    return post


# --- Scheduling -----------------------------------------------------------------------------


def variants_schedule(post: Post) -> None:
    """Variants follow the post's time while it is approved and not yet published."""
    if post.status not in (S.APPROVED, S.SCHEDULED) or post.planned_at is None:
        return
    post.variants.filter(
        status__in=[PostVariant.Status.PENDING, PostVariant.Status.SCHEDULED]
    ).update(status=PostVariant.Status.SCHEDULED, scheduled_at=post.planned_at)
    if post.status == S.APPROVED:
        check_transition(post.status, S.SCHEDULED)
        post.status = S.SCHEDULED
        post.save(update_fields=["status"])


@transaction.atomic
def post_reschedule(
    *, actor: User, post: Post, planned_at: datetime, request: HttpRequest | None = None
) -> Post:
    """Move a post to another time (from the calendar). An approved post keeps its
    approval; the move is audited."""
    post = post_lock(post)
    if not (user_may_edit_post(actor, post) or user_may_approve_post(actor, post)):
        raise PermissionDenied
    if post.status not in EDITABLE:
        raise TransitionError(_("A post that is being or has been published cannot be moved."))
    _move(post, planned_at, actor=actor, request=request)
    return post


def _move(
    post: Post, planned_at: datetime | None, *, actor: User, request: HttpRequest | None
) -> None:
    """The one way a post changes its time (calendar move, edit page, API): an approved post
    keeps its approval, so it may not move into the past, where it would go out at once."""
    if post.status in APPROVED_STATES and planned_at is None:
        # Its channels would keep the old time: the post and what goes out would disagree.
        raise ValidationError(
            {
                "planned_at": _(
                    "An approved post keeps a publishing time: reopen it as a draft to "
                    "remove the time."
                )
            }
        )
    if post.status in APPROVED_STATES and planned_at is not None and planned_at < timezone.now():
        raise ValidationError({"planned_at": _("An approved post cannot be moved into the past.")})
    before = post.planned_at
    post.planned_at = planned_at
    post.updated_at = timezone.now()
    post.save(update_fields=["planned_at", "updated_at"])
    variants_schedule(post)
    post_audit(
        "editorial.post.rescheduled",
        post,
        actor,
        request,
        before={"planned_at": before.isoformat() if before else None},
        after={"planned_at": planned_at.isoformat() if planned_at else None},
        data={"kept_approval": post.status in APPROVED_STATES},
    )


def approvals_expire() -> int:
    """Approved posts whose approval is older than the unit allows go back to review."""
    expired = 0
    candidates = Post.objects.filter(
        status__in=[S.APPROVED, S.SCHEDULED], approved_at__isnull=False
    ).select_related("unit")
    for post in candidates:
        days = editorial_policy_for(post.unit).approval_valid_days
        if not days or post.approved_at is None:
            continue
        if post.approved_at > timezone.now() - timedelta(days=days):
            continue
        with transaction.atomic():
            post = post_lock(post)
            if post.status not in (S.APPROVED, S.SCHEDULED):
                continue
            _void_approvals(post)
            post_transition(
                post,
                S.IN_REVIEW,
                actor=None,
                request=None,
                action="editorial.post.approval_expired",
                data={"valid_days": days},
            )
            _notify_approvers(post)
            expired += 1
    return expired


# --- Discussion -----------------------------------------------------------------------------

MENTION = re.compile(r"(?<![\w.])@([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")


@transaction.atomic
def post_comment_add(
    *, actor: User, post: Post, text: str, request: HttpRequest | None = None
) -> PostComment:
    """A comment in the draft's discussion; ``@e-mail`` mentions notify those people, if
    they can see the post."""
    from editorial.posts.selectors import posts_for_user

    # Auditors only read; everyone else working on the unit's posts may discuss them.
    talking_roles = [r for r in Role.values if r != Role.AUDITOR]
    if post.unit_id not in unit_ids_for_roles(actor, talking_roles):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Write a comment first.")})
    comment = PostComment.objects.create(post=post, author=actor, text=text.strip())
    emails = {m.lower() for m in MENTION.findall(text)}
    mentioned = [
        user
        for user in User.objects.filter(email__in=emails, is_active=True)
        if user.pk != actor.pk and posts_for_user(user).filter(pk=post.pk).exists()
    ]
    comment.mentions.set(mentioned)
    notify(
        recipients=mentioned,
        kind="editorial.mentioned",
        context={"title": post.title, "author": str(actor), "text": comment.text[:500]},
        link=f"/editorial/posts/{post.pk}/#discussion",
        unit=post.unit,
    )
    post_audit(
        "editorial.post.commented",
        post,
        actor,
        request,
        data={"mentions": [u.email for u in mentioned]},
    )
    return comment
