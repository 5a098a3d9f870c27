"""Reads of crisis mode: pauses, whether a channel variant is held by one, posts a pause
made miss their time, emergency templates and approvers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from datetime import timedelta
from typing import Any

from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.selectors import user_role_assignments
from editorial.crisis.permissions import PAUSE_ROLES
from editorial.crisis.permissions import _ancestor_ids
from editorial.crisis.permissions import _assignment_paths
from editorial.crisis.permissions import _below
from editorial.models import Approval
from editorial.models import EditorialPolicy
from editorial.models import Post
from editorial.models import PostTemplate
from editorial.models import PostVariant
from editorial.models import PublishingPause
from editorial.models import UnitDocument
from editorial.posts.selectors import posts_for_user
from editorial.starters.library import checklist_steps
from editorial.starters.library import document_starter

S = Post.Status
V = PostVariant.Status

# A variant that was due shortly before a pause started but had not gone out yet (the worker
# was still busy with it, or was stopped by the pause after claiming it) was also held up by
# the pause: after the pause it must not go out late on its own either.
MISSED_GRACE = timedelta(minutes=30)

# Posts that would have gone out by themselves: only these can be "missed".
_WOULD_GO_OUT = (S.APPROVED, S.SCHEDULED, S.PUBLISHING)
_NOT_OUT = (V.PENDING, V.SCHEDULED, V.PUBLISHING, V.FAILED, V.NEEDS_CHECK)


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


def crisis_checklist_steps(unit: OrgUnit) -> list[str]:
    """The steps of the crisis communication checklist that applies to the unit: its own,
    else the nearest unit's above it, else the starter library's (so a drill always has
    steps). One step per line of the document (``editorial.starters``)."""
    documents = {
        d.unit_id: d
        for d in UnitDocument.objects.filter(
            unit_id__in=unit.ancestor_ids, kind=UnitDocument.Kind.CRISIS_CHECKLIST
        )
    }
    for unit_id in reversed(unit.ancestor_ids):
        if unit_id in documents:
            return checklist_steps(documents[unit_id].body)
    return checklist_steps(document_starter(UnitDocument.Kind.CRISIS_CHECKLIST).body)
