"""Service levels: response deadlines counted in the unit's service hours, storm alerts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from channels_app.models import Channel
from moderation.models import InboxItem, StormAlert


def items_set_deadlines(*, items: Sequence[InboxItem]) -> None:
    """Set ``response_due_at`` of freshly ingested items (called by ingestion per batch)."""
    return None


def storm_check(*, channel: Channel) -> StormAlert | None:
    """Raise a storm alert when the channel passed its unit's threshold (called by
    ingestion after each batch of the channel)."""
    return None


def item_response_recorded(*, item: InboxItem, at: datetime) -> None:
    """Our reply to ``item`` reached the platform at ``at`` (called by replies when a reply
    is sent): first/last response times, whether the first-response target was met."""
    return None
