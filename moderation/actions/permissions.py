"""Who decides on an item: community managers of its channel act; auditors read."""

from __future__ import annotations

from accounts.models import User
from moderation.common.permissions import channels_for_moderating
from moderation.common.permissions import channels_for_reading
from moderation.models import InboxItem


def user_may_read_actions(user: User, item: InboxItem) -> bool:
    return channels_for_reading(user).filter(pk=item.channel_id).exists()


def user_may_act(user: User, item: InboxItem) -> bool:
    return channels_for_moderating(user).filter(pk=item.channel_id).exists()
