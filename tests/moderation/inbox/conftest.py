"""Shared helpers of the inbox tests: items at a given time, status and flags, and the
audit entries of an item."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import AuditEntry
from channels_app.models import Channel
from moderation.models import Author
from moderation.models import Flag
from moderation.models import InboxItem
from tests.moderation.factories import AuthorFactory
from tests.moderation.factories import InboxItemFactory

S = InboxItem.Status


def make_item(
    channel: Channel,
    *,
    minutes_ago: int = 5,
    created_at: datetime | None = None,
    author: Author | None = None,
    **fields: Any,
) -> InboxItem:
    created_at = created_at or timezone.now() - timedelta(minutes=minutes_ago)
    if author is None:
        return InboxItemFactory(channel=channel, created_at=created_at, **fields)
    return InboxItemFactory(channel=channel, created_at=created_at, author=author, **fields)


def make_author(channel: Channel, **fields: Any) -> Author:
    return AuthorFactory(channel=channel, **fields)


def flag(item: InboxItem, kind: str = Flag.Kind.INSULT, **fields: Any) -> Flag:
    fields.setdefault("explanation", "Enthält „Idiot“ (Beleidigungslexikon).")
    return Flag.objects.create(item=item, kind=kind, code=fields.pop("code", "lexicon"), **fields)


def audit_actions(item: InboxItem) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_id=str(item.pk), action__startswith="moderation.inbox.")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
