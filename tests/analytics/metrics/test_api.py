# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Metrics API: a post's readings per channel (its time series) and the newest reading of
each published variant, "not provided" as null and named, never 0; read as the dashboard
reads (a unit's subtree, auditors too), another authority's post not found."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

import pytest

from analytics.metrics.serializers import FiguresSerializer
from analytics.models import POST_METRIC_FIELDS
from tests.analytics.dashboard.conftest import IN_FEBRUARY
from tests.analytics.dashboard.conftest import IN_MARCH
from tests.analytics.dashboard.conftest import published
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _post_url(post: Any) -> str:
    return f"/api/v1/analytics/posts/{post.pk}/metrics/"


def test_the_figures_are_the_models_metric_fields() -> None:
    assert tuple(FiguresSerializer().fields) == POST_METRIC_FIELDS


def test_a_posts_time_series_per_channel(api_client_for: Any, org: Org, people: People) -> None:
    post = published(
        [org.press_channel, org.social_channel],
        IN_MARCH,
        readings={org.press_channel.pk: {"likes": 7, "shares": 0}},
    )
    body = api_client_for(people.editor).get(_post_url(post)).json()

    assert (body["post"], body["unit"]) == (post.pk, org.press.pk)
    by_channel = {variant["channel"]: variant for variant in body["variants"]}
    assert set(by_channel) == {org.press_channel.pk, org.social_channel.pk}
    press = by_channel[org.press_channel.pk]
    assert [s["age_bucket"] for s in press["snapshots"]] == [1, 24]
    newest = press["snapshots"][-1]
    assert newest["figures"]["likes"] == 7
    assert newest["figures"]["shares"] == 0  # a 0 the platform gave stays 0
    assert newest["figures"]["reach"] is None  # not provided: null, never 0
    assert "reach" in newest["not_provided"] and "shares" not in newest["not_provided"]
    assert by_channel[org.social_channel.pk]["snapshots"] == []  # nothing read yet


def test_another_authoritys_post_is_not_found(
    api_client_for: Any, org: Org, people: People
) -> None:
    post = published([org.police_channel], IN_MARCH)
    assert api_client_for(people.approver).get(_post_url(post)).status_code == 404
    assert api_client_for(people.outsider).get(_post_url(post)).status_code == 200


def test_a_subunit_reads_only_its_channels_of_a_post(
    api_client_for: Any, org: Org, people: People
) -> None:
    from accounts.models import Role
    from tests.factories import UserFactory

    team = UserFactory(email="team@stadt.example", roles=[(org.social, Role.EDITOR)])
    post = published([org.press_channel, org.social_channel], IN_MARCH)
    body = api_client_for(team).get(_post_url(post)).json()
    assert [variant["channel"] for variant in body["variants"]] == [org.social_channel.pk]


def test_the_list_gives_the_newest_reading_of_each_variant(
    api_client_for: Any, org: Org, people: People
) -> None:
    published([org.press_channel], IN_MARCH, readings={org.press_channel.pk: {"likes": 3}})
    published([org.social_channel], IN_FEBRUARY)
    published([org.police_channel], IN_MARCH, readings={org.police_channel.pk: {"likes": 9}})

    body = api_client_for(people.auditor).get("/api/v1/analytics/metrics/").json()

    assert body["count"] == 2  # not the other authority's
    newest, older = body["results"]
    assert (newest["channel"], newest["latest"]["age_bucket"]) == (org.press_channel.pk, 24)
    assert newest["latest"]["figures"]["likes"] == 3
    assert older["latest"] is None  # not read yet


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"unit": "social"}, ["social"]),
        ({"channel": "press"}, ["press"]),
        ({"since": "2026-03-01"}, ["press"]),
        ({"until": "2026-02-28"}, ["social"]),
    ],
)
def test_the_list_filters(
    api_client_for: Any, org: Org, people: People, query: dict[str, str], expected: list[str]
) -> None:
    channels = {"press": org.press_channel, "social": org.social_channel}
    units = {"social": org.social}
    published([org.press_channel], IN_MARCH)
    published([org.social_channel], IN_FEBRUARY)
    params = {
        name: units[value].pk
        if name == "unit"
        else channels[value].pk
        if name == "channel"
        else value
        for name, value in query.items()
    }
    body = api_client_for(people.editor).get("/api/v1/analytics/metrics/", params).json()
    assert [item["channel"] for item in body["results"]] == [channels[n].pk for n in expected]


def test_another_authoritys_unit_or_channel_is_refused(
    api_client_for: Any, org: Org, people: People
) -> None:
    client = api_client_for(people.editor)
    assert client.get("/api/v1/analytics/metrics/", {"unit": org.police.pk}).status_code == 400
    answer = client.get("/api/v1/analytics/metrics/", {"channel": org.police_channel.pk})
    assert answer.status_code == 400
    late = client.get("/api/v1/analytics/metrics/", {"since": "2026-03-02", "until": "2026-03-01"})
    assert late.status_code == 400


def test_a_day_boundary_is_german_time(api_client_for: Any, org: Org, people: People) -> None:
    # 23:30 UTC on 31 March is 1 April in Berlin.
    published([org.press_channel], datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    client = api_client_for(people.editor)
    march = client.get("/api/v1/analytics/metrics/", {"until": "2026-03-31"}).json()
    april = client.get("/api/v1/analytics/metrics/", {"since": "2026-04-01"}).json()
    assert (march["count"], april["count"]) == (0, 1)


def test_a_filter_given_empty_is_refused_not_ignored(
    api_client_for: Any, org: Org, people: People
) -> None:
    response = api_client_for(people.editor).get("/api/v1/analytics/metrics/?since=&until=")

    assert response.status_code == 400
    assert set(response.json()) == {"since", "until"}
