"""Crisis mode: pause publishing for a channel, a unit or a whole authority, and emergency posts.

A pause (``PublishingPause``) covers

* one channel (``channel`` set, ``unit`` empty),
* one unit with every unit below it (``unit`` set, ``channel`` empty) ("the whole
  authority" is a pause on the authority's top-level unit),
* the whole installation (both empty). In a shared installation that would stop other
  authorities too, so only someone who is system admin of *every* top-level unit (the
  operator of the installation) may start it.

The publishing engine asks ``variant_may_publish_now`` right after claiming a variant and
again immediately before calling the platform. The answer is read from the database every
time, never cached, so a pause started between the claim and the platform call stops the
post. What was due during a pause is never published late on its own: after the pause it
waits until someone reschedules or discards it (``missed_posts``).

Emergency posts (``Post.is_emergency`` with a current emergency approval) pass every pause.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.models import OrgUnit, Role, User
from accounts.notifications import notify
from accounts.selectors import unit_ids_for_roles, user_role_assignments
from channels_app.models import Channel
from editorial.content import post_content_hash
from editorial.models import (
    Approval,
    EditorialPolicy,
    Post,
    PostTemplate,
    PostVariant,
    PublishingPause,
)
from editorial.selectors import editorial_policy_for, posts_for_user, units_for_authoring
from editorial.services import (
    post_audit,
    post_create,
    post_lock,
    post_reschedule,
    post_submit,
    post_transition,
    post_withdraw,
    variants_schedule,
)

S = Post.Status
V = PostVariant.Status

# Who may start and end a pause in a unit (and on the channels of the unit and below).
PAUSE_ROLES = (Role.APPROVER, Role.CHANNEL_ADMIN, Role.SYSTEM_ADMIN)

# A variant that was due shortly before a pause started but had not gone out yet (the worker
# was still busy with it, or was stopped by the pause after claiming it) was also held up by
# the pause: after the pause it must not go out late on its own either.
MISSED_GRACE = timedelta(minutes=30)

# Posts that would have gone out by themselves: only these can be "missed".
_WOULD_GO_OUT = (S.APPROVED, S.SCHEDULED, S.PUBLISHING)
_NOT_OUT = (V.PENDING, V.SCHEDULED, V.PUBLISHING, V.FAILED, V.NEEDS_CHECK)

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


# --- Scope and permissions ------------------------------------------------------------------


def _assignment_paths(user: User, roles: Iterable[str] | None = None) -> set[str]:
    wanted = set(roles) if roles is not None else set(Role.values)
    return {a.unit.path for a in user_role_assignments(user) if a.role in wanted}


def _ancestor_ids(paths: Iterable[str]) -> set[int]:
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


def _below(field: str, paths: Iterable[str]) -> Q:
    """``field`` (a unit path) lies in one of the subtrees rooted at ``paths``."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def units_for_pausing(user: User) -> QuerySet[OrgUnit]:
    """Units (with their subtrees) in which the user may pause publishing."""
    return OrgUnit.objects.filter(id__in=unit_ids_for_roles(user, PAUSE_ROLES)).order_by("path")


def channels_for_pausing(user: User) -> QuerySet[Channel]:
    return (
        Channel.objects.filter(unit_id__in=unit_ids_for_roles(user, PAUSE_ROLES))
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def user_may_pause(user: User) -> bool:
    """Cheap (no query once the role assignments are loaded): for the banner button."""
    return bool(_assignment_paths(user, PAUSE_ROLES))


def user_is_installation_operator(user: User) -> bool:
    """System admin of every top-level unit: may pause the whole installation."""
    admin_of = {
        a.unit_id
        for a in user_role_assignments(user)
        if a.role == Role.SYSTEM_ADMIN and a.unit.parent_id is None
    }
    if not admin_of:
        return False
    roots = set(OrgUnit.objects.filter(parent__isnull=True).values_list("id", flat=True))
    return roots <= admin_of


def user_may_manage_pause_scope(
    user: User, *, unit: OrgUnit | None = None, channel: Channel | None = None
) -> bool:
    """May start (and end) a pause of this scope."""
    if channel is not None:
        return channel.unit_id in unit_ids_for_roles(user, PAUSE_ROLES)
    if unit is not None:
        return unit.pk in unit_ids_for_roles(user, PAUSE_ROLES)
    return user_is_installation_operator(user)


def user_may_manage_pause(user: User, pause: PublishingPause) -> bool:
    return user_may_manage_pause_scope(user, unit=pause.unit, channel=pause.channel)


def default_pause_unit(user: User) -> OrgUnit | None:
    """The unit a pause form starts with: the highest unit where the user may pause."""
    for assignment in user_role_assignments(user):  # ordered by unit path
        if assignment.role in PAUSE_ROLES:
            return assignment.unit
    return None


def _relevant_to(user: User) -> Q:
    """Pauses that concern the user: on any of their units, above or below them, or on a
    channel of their units. Built from the role assignments alone (no extra query)."""
    paths = _assignment_paths(user)
    if not paths:
        return Q(pk__in=[])
    return (
        Q(unit__isnull=True, channel__isnull=True)
        | Q(unit_id__in=_ancestor_ids(paths))
        | _below("unit__path", paths)
        | _below("channel__unit__path", paths)
    )


def pauses_for_user(user: User) -> QuerySet[PublishingPause]:
    """Active and past pauses that concern the user; newest first."""
    return (
        PublishingPause.objects.filter(_relevant_to(user))
        .select_related("unit", "channel", "channel__unit", "started_by", "ended_by")
        .order_by("-started_at", "-id")
    )


def active_pauses_for_user(user: User) -> list[PublishingPause]:
    """For the banner: one query once the role assignments are loaded."""
    if not user.is_authenticated or not user.is_active:
        return []
    return list(pauses_for_user(user).filter(ended_at__isnull=True))


def pause_scope_label(pause: PublishingPause) -> str:
    if pause.channel_id is not None:
        return _("channel “%(name)s”") % {"name": pause.channel.name}  # type: ignore[union-attr]
    if pause.unit_id is not None:
        unit = pause.unit
        assert unit is not None
        if unit.parent_id is None:
            return _("the whole authority “%(name)s”") % {"name": unit.name}
        return _("“%(name)s” and every unit below it") % {"name": unit.name}
    return _("every authority in this installation")


# --- Starting and ending a pause ------------------------------------------------------------


def _pause_snapshot(pause: PublishingPause) -> dict[str, Any]:
    return {
        "unit": pause.unit_id,
        "channel": pause.channel_id,
        "reason": pause.reason,
        "started_at": pause.started_at.isoformat(),
        "ended_at": pause.ended_at.isoformat() if pause.ended_at else None,
    }


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
    pause.full_clean()
    pause.save()
    audit_log(
        action="editorial.pause.started",
        actor=actor,
        request=request,
        target=pause,
        unit=_pause_unit(pause),
        after=_pause_snapshot(pause),
        data={"scope": pause_scope_label(pause)},
    )
    notify(
        recipients=_people_to_alert(pause, actor),
        kind="editorial.pause_started",
        context={"scope": pause_scope_label(pause), "reason": reason, "by": str(actor)},
        link="/editorial/pause/",
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


# --- Which variants a pause holds back ------------------------------------------------------


def _covering(channel_id: int, unit_path: str) -> Q:
    """Pauses on the channel, on its unit or any unit above it, or on everything. The unit
    ids come from the materialised path: an indexed ``IN`` instead of a tree walk."""
    return (
        Q(channel_id=channel_id)
        | Q(unit_id__in=_ancestor_ids([unit_path]))
        | Q(unit__isnull=True, channel__isnull=True)
    )


def emergency_approved() -> Exists:
    """Annotation for variants: their post's current approval is an emergency approval."""
    return Exists(
        Approval.objects.filter(
            post_id=OuterRef("post_id"),
            is_current=True,
            is_emergency=True,
            decision=Approval.Decision.APPROVED,
        )
    )


def pauses_may_hold(due: datetime | None) -> bool:
    """Whether any pause at all is active, or ended after ``due``: one cheap query for the
    publishing engine, which asks the guard (``variant_may_publish_now``, two queries) only
    when this is true, as good as never outside a crisis. A superset of what the guard
    reads (any scope, any start), so it never lets through what the guard would refuse."""
    relevant = Q(ended_at__isnull=True)
    if due is not None:
        relevant |= Q(ended_at__gt=due)
    return PublishingPause.objects.filter(relevant).exists()


def _variant_facts(variant_id: int) -> Mapping[str, Any] | None:
    """Everything the guard needs about a variant in one query, fresh from the database."""
    return (
        PostVariant.objects.filter(pk=variant_id)
        .annotate(emergency_approved=emergency_approved())
        .values(
            "channel_id",
            "channel__unit__path",
            "scheduled_at",
            "post__planned_at",
            "post__is_emergency",
            "emergency_approved",
        )
        .first()
    )


def _bypasses_pauses(facts: Mapping[str, Any]) -> bool:
    # An emergency post passes only with its emergency approval still current: edited after
    # it, the post went back to review and an ordinary approval must not carry the bypass.
    return bool(facts["post__is_emergency"] and facts["emergency_approved"])


def _due_at(facts: Mapping[str, Any]) -> datetime | None:
    return facts["scheduled_at"] or facts["post__planned_at"]


def _missed_during(pause: PublishingPause, due: datetime | None) -> bool:
    if due is None or pause.ended_at is None:
        return False
    return pause.started_at - MISSED_GRACE <= due < pause.ended_at


def pauses_active_for_variant(variant: PostVariant) -> list[PublishingPause]:
    """Active pauses holding the variant back (none for an approved emergency post)."""
    facts = _variant_facts(variant.pk)
    if facts is None or _bypasses_pauses(facts):
        return []
    return list(
        PublishingPause.objects.filter(
            _covering(facts["channel_id"], facts["channel__unit__path"]),
            ended_at__isnull=True,
        )
    )


def variant_is_paused(variant_id: int) -> bool:
    """True while an active pause covers the variant's channel, the channel's unit or any
    unit above it, unless the post is an approved emergency post. Two queries."""
    facts = _variant_facts(variant_id)
    if facts is None or _bypasses_pauses(facts):
        return False
    return PublishingPause.objects.filter(
        _covering(facts["channel_id"], facts["channel__unit__path"]), ended_at__isnull=True
    ).exists()


def variant_missed_its_time(variant: PostVariant) -> bool:
    """The variant was due during a pause that has ended (from ``MISSED_GRACE`` before the
    pause started until it ended) and nobody has moved it since.

    Moving the post (``missed_post_reschedule``) sets a new time after the pause, so the
    variant no longer counts as missed; discarding it withdraws the post. Until one of the
    two happens the engine must not publish it: a message that was meant for 10:00 can be
    wrong at 14:00. Emergency posts never count as missed."""
    facts = _variant_facts(variant.pk)
    if facts is None or _bypasses_pauses(facts):
        return False
    due = _due_at(facts)
    if due is None:
        return False
    ended = PublishingPause.objects.filter(
        _covering(facts["channel_id"], facts["channel__unit__path"]),
        ended_at__gt=due,
        started_at__lte=due + MISSED_GRACE,
    )
    return ended.exists()


def variant_may_publish_now(variant_id: int) -> tuple[bool, str]:
    """The publishing engine's guard, called right after claiming a variant (when
    ``pauses_may_hold``) and again immediately before the platform call. Returns
    ``(False, reason)`` when a pause holds the variant back or it missed its time during a
    pause; ``(True, "")`` otherwise.

    Reads the pauses on every call (no cache): a pause committed after the claim stops the
    post at the second call. Call it outside a long-running transaction so
    that it sees pauses committed meanwhile. When refused, the engine puts the variant back
    to "scheduled" (not "failed"): it then shows up in the pause's missed posts."""
    facts = _variant_facts(variant_id)
    if facts is None:
        return False, _("The post no longer exists.")
    if _bypasses_pauses(facts):
        return True, ""
    due = _due_at(facts)
    relevant = Q(ended_at__isnull=True)
    if due is not None:
        relevant |= Q(ended_at__gt=due, started_at__lte=due + MISSED_GRACE)
    pauses = list(
        PublishingPause.objects.filter(
            _covering(facts["channel_id"], facts["channel__unit__path"]), relevant
        ).order_by("-started_at")
    )
    for pause in pauses:
        if pause.ended_at is None:
            return False, _("Publishing is paused (pause %(id)s): %(reason)s") % {
                "id": pause.pk,
                "reason": pause.reason,
            }
    for pause in pauses:
        if _missed_during(pause, due):
            return False, _(
                "Its time passed during pause %(id)s. Reschedule or discard it; it is not"
                " published late on its own."
            ) % {"id": pause.pk}
    return True, ""


# --- After the pause: missed posts ----------------------------------------------------------


def _variants_in_scope(pause: PublishingPause) -> QuerySet[PostVariant]:
    variants = PostVariant.objects.filter(post=OuterRef("pk"), status__in=_NOT_OUT)
    if pause.channel_id is not None:
        return variants.filter(channel_id=pause.channel_id)
    if pause.unit_id is not None:
        return variants.filter(channel__unit__path__startswith=pause.unit.path)  # type: ignore[union-attr]
    return variants


def missed_posts(pause: PublishingPause) -> QuerySet[Post]:
    """Posts in the pause's scope that would have gone out during it and did not: their time
    fell within the pause (from ``MISSED_GRACE`` before it started until it ended, or until
    now while it lasts) and a variant in scope is not published. Emergency posts with their
    emergency approval went out anyway and are not listed."""
    until = pause.ended_at or timezone.now()
    emergency_approval = Approval.objects.filter(
        post=OuterRef("pk"), is_current=True, is_emergency=True
    )
    return (
        Post.objects.filter(
            status__in=_WOULD_GO_OUT,
            planned_at__gte=pause.started_at - MISSED_GRACE,
            planned_at__lt=until,
        )
        .filter(Exists(_variants_in_scope(pause)))
        .exclude(Q(is_emergency=True) & Exists(emergency_approval))
        .select_related("unit", "author")
        .prefetch_related("variants__channel")
        .order_by("planned_at", "id")
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


# --- Emergency posts ------------------------------------------------------------------------


def emergency_templates_for_user(user: User) -> QuerySet[PostTemplate]:
    """Emergency templates of the units the user authors in, and of the units above."""
    paths = _assignment_paths(user, [Role.EDITOR])
    if not paths:
        return PostTemplate.objects.none()
    return (
        PostTemplate.objects.filter(is_emergency=True)
        .filter(Q(unit_id__in=_ancestor_ids(paths)) | _below("unit__path", paths))
        .select_related("unit")
        .prefetch_related("channels")
        .order_by("name")
    )


def template_placeholders(template: PostTemplate) -> list[str]:
    """The ``{names}`` in title and text, in order of first appearance."""
    found: dict[str, None] = {}
    for source in (template.title, template.text):
        for name in PLACEHOLDER.findall(source):
            found.setdefault(name, None)
    return list(found)


def template_fill(template: PostTemplate, values: Mapping[str, str]) -> tuple[str, str]:
    """Title and text with every placeholder replaced. Plain substitution, not
    ``str.format``: a value or template can never reach attributes of Python objects."""
    missing = [
        name for name in template_placeholders(template) if not str(values.get(name, "")).strip()
    ]
    if missing:
        raise ValidationError(
            {"values": _("Fill in: %(names)s.") % {"names": ", ".join(missing)}},
            code="placeholders_missing",
        )

    def fill(source: str) -> str:
        return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]).strip(), source)

    return fill(template.title), fill(template.text)


def _emergency_unit(actor: User, template: PostTemplate) -> OrgUnit:
    units = units_for_authoring(actor)
    if units.filter(pk=template.unit_id).exists():
        return template.unit
    unit = units.order_by("path").first()
    if unit is None:
        raise PermissionDenied
    return unit


def emergency_approvers_for(post: Post) -> list[User]:
    """The designated emergency approvers of the post's unit (its effective policy)."""
    policy = editorial_policy_for(post.unit)
    if policy.pk is None:
        return []
    return list(policy.emergency_approvers.filter(is_active=True))


def user_is_emergency_approver(user: User, post: Post) -> bool:
    return user.pk != post.author_id and any(u.pk == user.pk for u in emergency_approvers_for(post))


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
        link=f"/editorial/pause/emergency/{post.pk}/approve/",
    )
    return post


@transaction.atomic
def emergency_post_approve(*, actor: User, post: Post, request: HttpRequest | None = None) -> Post:
    """One approval by a designated emergency approver schedules the post for now, whatever
    the unit's number of approvals, and lets it pass every pause."""
    post = post_lock(post)
    if not post.is_emergency:
        raise ValidationError(_("This is not an emergency post."))
    if post.author_id == actor.pk:
        raise PermissionDenied(_("You cannot approve your own post."))
    if not user_is_emergency_approver(actor, post):
        raise PermissionDenied(_("Only a designated emergency approver may do this."))
    if post.status != S.IN_REVIEW:
        raise ValidationError(_("Only a post in review can be approved."))
    content_hash = post_content_hash(post)
    Approval.objects.create(
        post=post,
        approver=actor,
        decision=Approval.Decision.APPROVED,
        content_hash=content_hash,
        is_emergency=True,
    )
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
    notify(
        recipients=[post.author],
        kind="editorial.post_approved",
        context={"title": post.title},
        link=f"/editorial/posts/{post.pk}/",
    )
    return post


def emergency_posts_waiting_for(user: User) -> list[Post]:
    """Emergency posts in review that the user may approve as designated emergency approver.
    Constant queries: the effective policy of each unit is resolved from all policies on the
    posts' unit paths at once instead of one ``editorial_policy_for`` per post."""
    posts = list(
        posts_for_user(user)
        .filter(is_emergency=True, status=S.IN_REVIEW)
        .exclude(author=user)
        .select_related("unit", "author")
        .prefetch_related("variants__channel")
        .order_by("created_at")
    )
    if not posts:
        return []
    unit_ids = _ancestor_ids(post.unit.path for post in posts)
    designated = EditorialPolicy.emergency_approvers.through.objects.filter(
        editorialpolicy=OuterRef("pk"), user=user
    )
    policies = dict(
        EditorialPolicy.objects.filter(unit_id__in=unit_ids)
        .annotate(mine=Exists(designated))
        .values_list("unit_id", "mine")
    )

    def designated_for(post: Post) -> bool:
        for unit_id in reversed(post.unit.ancestor_ids):
            if unit_id in policies:
                return bool(policies[unit_id])
        return False

    return [post for post in posts if designated_for(post)]
