"""A channel is named with its platform once: "Stadt Musterstadt (Sandbox)", never twice."""

from __future__ import annotations

import pytest
from django.utils import translation

from channels_app.models import Channel
from channels_app.models import Platform


@pytest.mark.parametrize(
    ("name", "platform", "label"),
    [
        ("Stadt Musterstadt (Sandbox)", Platform.SANDBOX, "Stadt Musterstadt (Sandbox)"),
        ("Stadt Mastodon", Platform.MASTODON, "Stadt Mastodon"),
        ("Bürgerservice", Platform.BLUESKY, "Bürgerservice (Bluesky)"),
        ("Stadt auf Facebook", Platform.FACEBOOK, "Stadt auf Facebook"),
    ],
)
def test_label_names_the_platform_unless_the_name_does(
    name: str, platform: str, label: str
) -> None:
    with translation.override("en"):
        assert Channel(name=name, platform=platform).label == label


def test_channel_checkboxes_are_labelled_with_the_platform(db: None) -> None:
    from channels_app.forms import ChannelsField
    from tests.factories import ChannelFactory

    channel = ChannelFactory(name="Bürgerservice", platform=Platform.BLUESKY)
    field = ChannelsField()
    field.queryset = Channel.objects.filter(pk=channel.pk)
    with translation.override("en"):
        assert [label for _, label in field.choices] == ["Bürgerservice (Bluesky)"]
