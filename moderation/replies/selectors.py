"""Reads of replies and saved replies, always narrowed to what the user may see."""

from __future__ import annotations

from pathlib import Path

from django.db.models import Q
from django.db.models import QuerySet

from accounts.models import OrgUnit
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from accounts.starters import Starter
from accounts.starters import load_starter
from moderation.common.permissions import READ_ROLES
from moderation.common.permissions import channels_for_moderating
from moderation.common.permissions import channels_for_reading
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import Reply
from moderation.models import SavedReply
from moderation.replies.texts import BUILT_IN
from moderation.replies.texts import FORMAL_REQUEST_CODES
from moderation.replies.texts import FORMAL_REQUEST_PREFIX
from moderation.replies.texts import StandardReply
from moderation.replies.texts import text_fill

R = Reply.Status


def _with_relations(replies: QuerySet[Reply]) -> QuerySet[Reply]:
    return replies.select_related(
        "item",
        "item__channel",
        "item__author",
        "author",
        "approved_by",
        "rejected_by",
        "saved_reply",
    )


def replies_for_user(user: User) -> QuerySet[Reply]:
    """Replies on the channels whose inbox the user reads."""
    return _with_relations(Reply.objects.filter(item__channel__in=channels_for_reading(user)))


def replies_of_item(item: InboxItem) -> QuerySet[Reply]:
    return _with_relations(Reply.objects.filter(item=item)).order_by("created_at", "id")


def replies_awaiting_approval_for(user: User) -> QuerySet[Reply]:
    """The approval queue: replies waiting on channels the user moderates, not their own."""
    # Only the relations the queue shows: each join more costs planning time on every page.
    return (
        Reply.objects.filter(
            status=R.AWAITING_APPROVAL, item__channel__in=channels_for_moderating(user)
        )
        .exclude(author=user)
        .select_related("item", "item__channel", "item__author", "author")
        .order_by("created_at", "id")
    )


def items_for_reading(user: User) -> QuerySet[InboxItem]:
    return InboxItem.objects.filter(channel__in=channels_for_reading(user)).select_related(
        "channel", "channel__unit", "author"
    )


def _reading_unit_scope(user: User) -> Q:
    """Shared saved replies reach down the tree: those of the user's units, of the units
    below them and of the units above them."""
    unit_ids = unit_ids_for_roles(user, READ_ROLES)
    if not unit_ids:
        return Q(pk__in=[])
    ancestors: set[int] = set()
    for unit in OrgUnit.objects.filter(pk__in=unit_ids).only("path"):
        ancestors.update(unit.ancestor_ids)
    return Q(unit_id__in=unit_ids | ancestors)


def saved_replies_for_user(user: User) -> QuerySet[SavedReply]:
    """The user's private saved replies and the shared ones of their units."""
    return (
        SavedReply.objects.filter(
            Q(owner=user) | (Q(owner__isnull=True) & _reading_unit_scope(user))
        )
        .select_related("unit", "owner")
        .order_by("title", "id")
    )


def saved_replies_for_item(user: User, item: InboxItem) -> QuerySet[SavedReply]:
    """What the reply form offers for ``item``: shared ones of the channel's unit and the
    units above it, and the user's own (of those units)."""
    return (
        SavedReply.objects.filter(unit_id__in=item.channel.unit.ancestor_ids)
        .filter(Q(owner__isnull=True) | Q(owner=user))
        .select_related("unit")
        .order_by("title", "id")
    )


def formal_request_codes(item: InboxItem) -> list[str]:
    """The formal request codes flagged on the item (not dismissed), in a fixed order."""
    codes = set(
        Flag.objects.filter(
            item=item, kind=Flag.Kind.FORMAL_REQUEST, dismissed_at__isnull=True
        ).values_list("code", flat=True)
    )
    return [code for code in FORMAL_REQUEST_CODES if code in codes]


def standard_reply_for(item: InboxItem, code: str) -> StandardReply:
    """The unit's own standard answer (its nearest shared saved reply with the purpose),
    else the built-in one; filled for the item."""
    unit = item.channel.unit
    overrides = {
        saved.unit_id: saved
        for saved in SavedReply.objects.filter(
            unit_id__in=unit.ancestor_ids,
            owner__isnull=True,
            purpose=f"{FORMAL_REQUEST_PREFIX}{code}",
        ).order_by("-updated_at")
    }
    for unit_id in reversed(unit.ancestor_ids):
        saved = overrides.get(unit_id)
        if saved is not None:
            return StandardReply(code, saved.title, text_fill(saved.text, item), saved.pk)
    title, text = BUILT_IN[code]
    return StandardReply(code, title, text_fill(text, item))


def standard_replies_for(item: InboxItem) -> list[StandardReply]:
    return [standard_reply_for(item, code) for code in formal_request_codes(item)]


STARTER_FILE = Path(__file__).resolve().parent / "starters" / "textbausteine.json"


def saved_replies_starter() -> Starter:
    """The library's saved replies a practice space starts with (``items``: title, text)."""
    return load_starter(STARTER_FILE)
