"""Who may read, write, approve and maintain replies and saved replies.

Everyone who reads a channel's inbox (community managers and auditors of its unit or above)
sees its replies; only community managers write, approve (never their own reply) and send
again. Saved replies: private ones belong to their owner; shared ones are read by everyone
working in the unit or below and maintained by its community managers.
"""

from __future__ import annotations

from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from moderation.common.permissions import ACT_ROLES
from moderation.common.permissions import user_may_moderate
from moderation.common.permissions import user_may_moderate_channel
from moderation.models import InboxItem
from moderation.models import Reply
from moderation.models import SavedReply


def user_may_write_reply(user: User, item: InboxItem) -> bool:
    return user_may_moderate_channel(user, item.channel_id)


def user_may_approve_reply(user: User, reply: Reply) -> bool:
    """Four eyes: another community manager of the channel, never the author."""
    return reply.author_id != user.pk and user_may_moderate_channel(user, reply.item.channel_id)


def user_may_maintain_saved_replies(user: User) -> bool:
    """Cheap (no query once the roles are loaded): for buttons and the page permission."""
    return user_may_moderate(user)


def user_may_change_saved_reply(user: User, saved: SavedReply) -> bool:
    if saved.owner_id is not None:
        return saved.owner_id == user.pk
    # The unit ids are cached per user: a list of saved replies asks once.
    return saved.unit_id in unit_ids_for_roles(user, ACT_ROLES)
