"""Who may read and act in the block register: community managers of the channel's unit (or
above) act, auditors read, nobody sees another authority's register. An objection is
decided by a second person: never the one who blocked, never the one who recorded it."""

from __future__ import annotations

from accounts.models import User
from moderation.common.permissions import channels_for_moderating
from moderation.common.permissions import user_may_moderate
from moderation.common.permissions import user_may_use_inbox
from moderation.models import BlockAppeal
from moderation.models import BlockEntry


def user_may_read_blocks(user: User) -> bool:
    """Cheap (no query once role assignments are loaded): for the register page."""
    return user_may_use_inbox(user)


def user_may_block(user: User) -> bool:
    """Cheap: whether to offer blocking at all."""
    return user_may_moderate(user)


def user_may_manage_block(user: User, block: BlockEntry) -> bool:
    """Review, lift, record an objection, retry or confirm the platform step."""
    return channels_for_moderating(user).filter(pk=block.channel_id).exists()


def user_is_second_person(user: User, appeal: BlockAppeal) -> bool:
    return user.pk not in (appeal.block.blocked_by_id, appeal.recorded_by_id)


def user_may_decide_appeal(user: User, appeal: BlockAppeal) -> bool:
    return user_is_second_person(user, appeal) and user_may_manage_block(user, appeal.block)
