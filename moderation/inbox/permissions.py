"""Who may do what in the inbox. Reading follows ``channels_for_reading`` (community
managers and auditors), acting ``channels_for_moderating`` (community managers only); an
item on a channel the user cannot read does not exist for them (404)."""

from __future__ import annotations

from accounts.models import User
from moderation.common.permissions import user_may_moderate
from moderation.common.permissions import user_may_moderate_channel
from moderation.common.permissions import user_may_use_inbox
from moderation.models import InboxItem


def user_may_read_inbox(user: User) -> bool:
    return user_may_use_inbox(user)


def user_may_triage(user: User) -> bool:
    """Cheap: may act on some channel (shows the bulk form and the action forms)."""
    return user_may_moderate(user)


def user_may_act_on_item(user: User, item: InboxItem) -> bool:
    return user_may_moderate_channel(user, item.channel_id)
