"""Who may do what with ingestion: auditors and community managers read the streams of
their units' channels; community managers ask for an immediate fetch."""

from __future__ import annotations

from accounts.models import User
from moderation.common.permissions import user_may_moderate_channel
from moderation.common.permissions import user_may_use_inbox
from moderation.models import IngestCursor


def user_may_see_streams(user: User) -> bool:
    return user_may_use_inbox(user)


def user_may_fetch_now(user: User, cursor: IngestCursor) -> bool:
    return user_may_moderate_channel(user, cursor.channel_id)
