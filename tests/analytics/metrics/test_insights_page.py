# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The Insights switch on a channel's analytics settings page: who may use it, and that it
saves through the service (audited)."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import AuditEntry
from analytics.metrics.selectors import insights_enabled
from channels_app.models import Channel
from channels_app.models import Platform
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _facebook(org: Org) -> Channel:
    channel = org.press_channel
    Channel.objects.filter(pk=channel.pk).update(platform=Platform.FACEBOOK)
    return Channel.objects.get(pk=channel.pk)


def test_a_channel_admin_switches_insights_off(org: Org, people: People, client_for) -> None:
    channel = _facebook(org)
    client = client_for(people.channel_admin)
    url = reverse("metrics:channel_insights", args=[channel.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="insights_enabled"' in page.content.decode()
    assert "checked" in page.content.decode()
    detail = client.get(reverse("channels:detail", args=[channel.pk])).content.decode()
    assert url in detail

    response = client.post(url, {})  # the box unticked
    assert response.status_code == 302
    assert not insights_enabled(channel)
    assert AuditEntry.objects.filter(action="analytics.metrics.insights_switched").exists()


def test_others_may_not_and_other_platforms_have_no_switch(
    org: Org, people: People, client_for
) -> None:
    channel = _facebook(org)
    url = reverse("metrics:channel_insights", args=[channel.pk])
    assert client_for(people.editor).get(url).status_code == 403
    assert client_for(people.outsider).get(url).status_code == 404
    mastodon = reverse("metrics:channel_insights", args=[org.social_channel.pk])
    assert client_for(people.channel_admin).get(mastodon).status_code == 404
    assert insights_enabled(channel)
