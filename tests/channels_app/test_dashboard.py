# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The channels panel of the dashboard: access that runs out soon, for the channel admins of
the channel's unit only."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from channels_app.dashboard import expiring_panel
from channels_app.models import Channel
from tests.conftest import Org
from tests.conftest import People
from tests.factories import ChannelFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _expires(channel: Channel, days: float, status: str = Channel.Status.ACTIVE) -> None:
    # Access nothing renews: someone has to reconnect when it ends.
    channel.access_expires_at = channel.reconnect_by = timezone.now() + timedelta(days=days)
    channel.status = status
    channel.save()


def test_channel_admins_see_the_channels_of_their_units_whose_access_runs_out(
    org: Org, people: People
) -> None:
    _expires(org.press_channel, 3)
    _expires(org.social_channel, -1)  # expired already: reconnect
    _expires(ChannelFactory(unit=org.press), 60)  # far off
    _expires(ChannelFactory(unit=org.press), 2, Channel.Status.DISCONNECTED)
    _expires(org.police_channel, 1)  # another authority's
    panel = expiring_panel(people.channel_admin)
    assert panel is not None
    assert [count.value for count in panel.counts] == [2]
    assert [channel.pk for channel in panel.items] == [org.social_channel.pk, org.press_channel.pk]


def test_the_panel_is_only_for_channel_admins(people: People) -> None:
    assert expiring_panel(people.editor) is None
    assert expiring_panel(people.system_admin) is None
