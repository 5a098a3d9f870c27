"""Reads of ingestion: the streams a person may see, with how they are doing."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from moderation.common.permissions import channels_for_reading
from moderation.models import IngestCursor


def streams_for_user(user: User) -> QuerySet[IngestCursor]:
    """Every stream of the channels whose inbox the user reads (community managers and
    auditors of the channel's unit or above), channel by channel."""
    return (
        IngestCursor.objects.filter(channel__in=channels_for_reading(user))
        .select_related("channel", "channel__unit")
        .order_by("channel__name", "channel_id", "stream")
    )
