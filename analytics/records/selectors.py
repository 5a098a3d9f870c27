"""Reads of records exports: the exports a user sees, and everything one export files —
the posts published in its scope and period with their approvals, variants, media, latest
metrics, moderation decisions and audit entries. Each read takes a fixed number of queries
for a batch of posts, so an export of thousands of posts is built in batches."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min
from django.db.models import Model
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.models import User
from analytics.models import RecordsExport
from analytics.records.permissions import unit_ids_for_records
from channels_app.models import Channel
from editorial.models import Approval
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostMedia
from editorial.models import PostVariant
from editorial.models import VariantMedia
from moderation.models import EvidenceRecord
from moderation.models import InboxItem
from moderation.models import ModerationAction

# A variant that once went out is on the record, also when it was deleted on the platform
# afterwards.
PUBLISHED_STATES = (PostVariant.Status.PUBLISHED, PostVariant.Status.REMOVED)


def exports_for_user(user: User) -> QuerySet[RecordsExport]:
    """The exports of the units the user requests exports for, newest first."""
    return (
        RecordsExport.objects.filter(unit_id__in=unit_ids_for_records(user))
        .select_related("unit", "channel", "requested_by")
        .order_by("-created_at", "-pk")
    )


def scope_channels(export: RecordsExport) -> QuerySet[Channel]:
    """One channel, or every channel of the unit and of the units below it. Sandbox
    channels are in scope and marked as such; practice spaces never (their units are roots of
    their own, and no export is requested for them: ``unit_ids_for_records``)."""
    real = Channel.objects.filter(unit__practice_of__isnull=True)
    if export.channel_id is not None:
        return real.filter(pk=export.channel_id)
    return real.filter(unit__path__startswith=export.unit.path)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as aware instants: from the start of ``start`` to the start of the day
    after ``end``, in the local time zone (Europe/Berlin)."""
    zone = timezone.get_current_timezone()
    until = (
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
        if end < date.max
        else datetime.max.replace(tzinfo=zone)
    )
    return datetime.combine(start, time.min, tzinfo=zone), until


def published_variants(export: RecordsExport) -> QuerySet[PostVariant]:
    """The variants of the scope's channels that went out in the period."""
    since, until = period_bounds(export.period_start, export.period_end)
    return PostVariant.objects.filter(
        channel__in=scope_channels(export),
        status__in=PUBLISHED_STATES,
        published_at__gte=since,
        published_at__lt=until,
    )


def post_ids_in_scope(export: RecordsExport) -> list[int]:
    """The posts to file, in the order they first went out."""
    rows = (
        published_variants(export)
        .values("post_id")
        .annotate(first=Min("published_at"))
        .order_by("first", "post_id")
    )
    return [row["post_id"] for row in rows]


def _media_prefetch(name: str, model: type[PostMedia] | type[VariantMedia]) -> Prefetch:
    return Prefetch(name, model.objects.select_related("asset").order_by("position", "id"))


def posts_with_records(post_ids: Sequence[int], variants: QuerySet[PostVariant]) -> list[Post]:
    """The posts with their approvals, media and the ``variants`` given (those in scope),
    each variant with its own media: a fixed number of queries for the batch."""
    variant_query = (
        variants.select_related("channel", "channel__unit")
        .prefetch_related(_media_prefetch("variant_media", VariantMedia))
        .order_by("published_at", "pk")
    )
    posts = (
        Post.objects.filter(pk__in=post_ids)
        .select_related("unit", "author", "topic")
        .prefetch_related(
            Prefetch(
                "approvals",
                Approval.objects.select_related("approver").order_by("created_at", "pk"),
            ),
            _media_prefetch("post_media", PostMedia),
            Prefetch("variants", variant_query, to_attr="variants_in_scope"),
        )
    )
    by_id = {post.pk: post for post in posts}
    return [by_id[pk] for pk in post_ids if pk in by_id]


def moderation_actions(variant_ids: Iterable[int]) -> list[ModerationAction]:
    """The decisions on replies to the variants, oldest first."""
    return list(
        ModerationAction.objects.filter(item__variant_id__in=list(variant_ids))
        .select_related("item", "rule", "rule__netiquette", "evidence", "actor")
        .order_by("created_at", "pk")
    )


def audit_entries_about(objects: dict[type[Model], Iterable[int]]) -> list[AuditEntry]:
    """The audit entries whose target is one of ``objects`` (per model its ids), in the
    chain's order: one query."""
    condition = Q()
    for model, ids in objects.items():
        keys = [str(pk) for pk in ids]
        if keys:
            condition |= Q(target_type=ContentType.objects.get_for_model(model), target_id__in=keys)
    if not condition:
        return []
    return list(
        AuditEntry.objects.filter(condition).select_related("target_type").order_by("sequence")
    )


def record_models() -> tuple[type[Model], ...]:
    """The models whose audit entries a post's record carries."""
    return (Post, PostVariant, Approval, MediaAsset, InboxItem, ModerationAction, EvidenceRecord)
