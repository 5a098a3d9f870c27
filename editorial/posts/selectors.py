"""Reads of posts, approvals and the channels and units a user may draft for."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.permissions import APPROVE_ON_CHANNEL
from accounts.permissions import DRAFT_ON_CHANNEL
from accounts.selectors import unit_ids_for_roles
from accounts.selectors import user_role_assignments
from channels_app.models import Channel
from channels_app.selectors import channels_for_user
from editorial.models import Approval
from editorial.models import Post
from editorial.models import PostVariant
from editorial.models import Topic


def posts_for_user(user: User) -> QuerySet[Post]:
    """Posts of the units where the user holds any role (and the units below)."""
    return Post.objects.filter(unit_id__in=unit_ids_for_roles(user, Role.values))


def post_list_for_user(user: User) -> QuerySet[Post]:
    """For lists: everything a row shows, in a constant number of queries."""
    return (
        posts_for_user(user)
        .select_related("author", "topic", "unit")
        .prefetch_related(
            Prefetch("variants", queryset=PostVariant.objects.select_related("channel"))
        )
    )


def units_for_authoring(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(id__in=unit_ids_for_roles(user, [Role.EDITOR]))


def channels_for_drafting(user: User) -> QuerySet[Channel]:
    return channels_for_user(user, DRAFT_ON_CHANNEL)


def current_approvals(post: Post) -> QuerySet[Approval]:
    return post.approvals.filter(is_current=True, decision=Approval.Decision.APPROVED)


def approval_queue_for_user(user: User) -> QuerySet[Post]:
    """Posts waiting for this user's approval: in review, on channels they approve, not
    their own, not yet approved by them."""
    approvable = channels_for_user(user, APPROVE_ON_CHANNEL).values("id")
    outside = PostVariant.objects.filter(post=OuterRef("pk")).exclude(channel_id__in=approvable)
    mine = Approval.objects.filter(post=OuterRef("pk"), approver=user, is_current=True)
    return (
        post_list_for_user(user)
        .filter(status=Post.Status.IN_REVIEW)
        .exclude(author=user)
        .annotate(variant_count=Count("variants"))
        .filter(variant_count__gt=0)
        .exclude(Exists(outside))
        .exclude(Exists(mine))
        .order_by("planned_at", "id")
    )


def post_for_user(user: User, pk: int) -> Post:
    return get_object_or_404(posts_for_user(user).select_related("unit", "author"), pk=pk)


def topic_unit_ids(user: User) -> set[int]:
    """Units whose topics the user's posts and slots may be filed under: the user's units,
    those below them, and those above them (a city-wide campaign is used by every office of
    the city). Another authority's topics do not exist for the user."""
    above = {pk for a in user_role_assignments(user) for pk in a.unit.ancestor_ids}
    return above | unit_ids_for_roles(user, Role.values)


def topics_for_drafting(user: User) -> QuerySet[Topic]:
    """Topics a post or topic slot of the user may be filed under (not archived)."""
    return Topic.objects.filter(unit_id__in=topic_unit_ids(user), archived=False).order_by("name")


# --- The dashboard ("my work") ----------------------------------------------------------------

# Posts that will go out on their own: approved and waiting for their time, or going out now.
UPCOMING = (Post.Status.APPROVED, Post.Status.SCHEDULED, Post.Status.PUBLISHING)


def my_posts_to_finish(user: User) -> QuerySet[Post]:
    """The user's own drafts and the posts an approver sent back to them, most recent first."""
    return (
        posts_for_user(user)
        .filter(author=user, status__in=[Post.Status.DRAFT, Post.Status.REJECTED])
        .select_related("unit")
        .order_by("-updated_at", "-id")
    )


def my_post_counts(user: User) -> dict[str, int]:
    """How many of the user's own posts are drafts, sent back, or waiting for approval."""
    counts = (
        posts_for_user(user)
        .filter(author=user)
        .aggregate(
            drafts=Count("pk", filter=Q(status=Post.Status.DRAFT)),
            rejected=Count("pk", filter=Q(status=Post.Status.REJECTED)),
            in_review=Count("pk", filter=Q(status=Post.Status.IN_REVIEW)),
        )
    )
    return {name: int(value or 0) for name, value in counts.items()}


def posts_upcoming_between(user: User, start: datetime, end: datetime) -> QuerySet[Post]:
    """Posts of the user's units planned from ``start`` until before ``end`` that will go
    out (approved, scheduled or publishing), earliest first."""
    return (
        posts_for_user(user)
        .filter(status__in=UPCOMING, planned_at__gte=start, planned_at__lt=end)
        .select_related("unit")
        .order_by("planned_at", "id")
    )
