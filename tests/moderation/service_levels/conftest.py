"""Shared helpers of the service-level tests: Berlin times and replies of ours."""

from __future__ import annotations

from datetime import datetime

from accounts.models import User
from moderation.models import InboxItem
from moderation.models import Reply
from moderation.service_levels.clock import BERLIN


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def sent_reply(item: InboxItem, author: User, at: datetime, remote_id: str = "") -> Reply:
    return Reply.objects.create(
        item=item,
        author=author,
        text="Danke für Ihre Nachricht.",
        status=Reply.Status.SENT,
        sent_at=at,
        remote_id=remote_id,
    )
