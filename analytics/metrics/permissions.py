"""Who may do what in the metrics feature."""

from __future__ import annotations

from accounts.models import User
from channels_app.models import Channel
from channels_app.selectors import user_may_manage_channel


def user_may_switch_insights(user: User, channel: Channel) -> bool:
    """Whoever manages the channel's connection decides what is read from it."""
    return user_may_manage_channel(user, channel)
