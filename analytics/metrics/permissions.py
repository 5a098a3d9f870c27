"""Who may do what in the metrics feature."""

from __future__ import annotations

from accounts.models import User
from analytics.goals.permissions import unit_ids_for_reading_goals
from analytics.goals.permissions import user_may_see_goals
from channels_app.models import Channel
from channels_app.selectors import user_may_manage_channel


def user_may_switch_insights(user: User, channel: Channel) -> bool:
    """Whoever manages the channel's connection decides what is read from it."""
    return user_may_manage_channel(user, channel)


def unit_ids_for_reading_metrics(user: User) -> set[int]:
    """A post's figures are read as the dashboard reads them (the same rule): everyone with
    a role in a unit reads the figures of the channels of that unit and the units below."""
    return unit_ids_for_reading_goals(user)


def user_may_see_metrics(user: User) -> bool:
    """Cheap (no query once the role assignments are loaded)."""
    return user_may_see_goals(user)
