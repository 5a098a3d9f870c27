# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The per-channel Insights switch: audited when it changes, and the selector every
analytics view uses to say which channels' figures come without Insights."""

from __future__ import annotations

from accounts.models import AuditEntry
from analytics.metrics.selectors import channels_without_insights
from analytics.metrics.selectors import insights_enabled
from analytics.metrics.services import channel_insights_set
from channels_app.models import Platform
from tests.conftest import People
from tests.factories import ChannelFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_switching_off_is_audited_once(people: People) -> None:
    facebook = ChannelFactory(platform=Platform.FACEBOOK)
    assert insights_enabled(facebook)  # on by default
    channel_insights_set(actor=people.channel_admin, channel=facebook, enabled=False)
    channel_insights_set(actor=people.channel_admin, channel=facebook, enabled=False)
    assert not insights_enabled(facebook)
    entry = AuditEntry.objects.get(action="analytics.metrics.insights_switched")
    assert entry.data["before"] == {"insights_enabled": True}
    assert entry.data["after"] == {"insights_enabled": False}
    assert entry.actor == people.channel_admin


def test_views_learn_which_channels_go_without_insights(
    people: People, django_assert_num_queries
) -> None:
    facebook = ChannelFactory(platform=Platform.FACEBOOK, name="Stadt Facebook")
    instagram = ChannelFactory(platform=Platform.INSTAGRAM, name="Stadt Instagram")
    mastodon = ChannelFactory(platform=Platform.MASTODON)
    for channel in (facebook, mastodon):
        channel_insights_set(actor=people.channel_admin, channel=channel, enabled=False)
    ids = [facebook.pk, instagram.pk, mastodon.pk]
    with django_assert_num_queries(1):
        assert channels_without_insights(ids) == [facebook]
    assert insights_enabled(mastodon)  # nothing to switch off on Mastodon
