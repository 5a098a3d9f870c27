# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Expiry warnings are for access someone has to renew by hand, not for tokens the
platform renews by itself."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from channels_app.credentials import credentials_write
from channels_app.models import Channel
from channels_app.selectors import channels_expiring
from tests.conftest import Org
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _active(channel: Channel) -> Channel:
    Channel.objects.filter(pk=channel.pk).update(status=Channel.Status.ACTIVE)
    return Channel.objects.get(pk=channel.pk)


def test_access_that_renews_itself_is_not_expiring(org: Org) -> None:
    tomorrow = timezone.now() + timedelta(days=1)
    credentials_write(
        org.press_channel,
        {"access_token": "a", "refresh_token": "r", "expires_at": tomorrow.isoformat()},
        renewable=True,
    )
    channel = _active(org.press_channel)
    assert channel.access_state == ""
    assert channel not in channels_expiring()


def test_the_end_of_the_refresh_token_is_the_date_to_warn_about(org: Org) -> None:
    soon = timezone.now() + timedelta(days=5)
    credentials_write(
        org.press_channel,
        {
            "access_token": "a",
            "refresh_token": "r",
            "expires_at": (timezone.now() + timedelta(hours=2)).isoformat(),
            "refresh_expires_at": soon.isoformat(),
        },
        renewable=True,
    )
    channel = _active(org.press_channel)
    assert channel.reconnect_by == soon.replace(microsecond=soon.microsecond)
    assert channel.access_state == "expiring"
    assert channel in channels_expiring()


def test_access_nothing_renews_warns_before_it_ends(org: Org) -> None:
    soon = timezone.now() + timedelta(days=5)
    credentials_write(org.press_channel, {"access_token": "a", "expires_at": soon.isoformat()})
    channel = _active(org.press_channel)
    assert channel.access_state == "expiring"
    assert channel in channels_expiring()
