# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Channel colours (editorial.planning.selectors.channel_colour, CHANNEL_PALETTE)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from channels_app.models import Channel
from editorial.planning.selectors import CHANNEL_PALETTE
from editorial.planning.selectors import channel_colour
from tests.conftest import Org
from tests.factories import ChannelFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("colour", CHANNEL_PALETTE)
def test_channel_colours_have_aa_contrast_with_white_text(colour: str) -> None:
    assert (1.05) / (_luminance(colour) + 0.05) >= 4.5


def test_every_channel_colour_is_in_the_stylesheet() -> None:
    css = (Path(settings.BASE_DIR) / "static/css/app.css").read_text()
    for index, colour in enumerate(CHANNEL_PALETTE):
        assert f".cal-colour-{index} {{ --cal-colour: {colour}; }}" in css


def test_a_channels_colour_is_stable_and_from_the_palette(org: Org) -> None:
    channel = ChannelFactory(unit=org.press)
    assert channel_colour(channel.pk) == channel_colour(Channel.objects.get(pk=channel.pk).pk)
    assert channel_colour(channel.pk) == CHANNEL_PALETTE[channel.pk % len(CHANNEL_PALETTE)]
