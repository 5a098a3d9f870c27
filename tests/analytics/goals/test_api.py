# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The goals API: a machine-readable KPI target, progress on one goal, the same permissions
as the pages, stable error codes."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.models import ChannelStrategy
from analytics.models import Goal
from analytics.models import TargetGroup
from tests.analytics.goals.conftest import make_goal
from tests.factories import ChannelFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

BODY = {
    "title": "Followerzahl auf Mastodon steigern",
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "metric": "followers_growth",
    "comparison": "at_least",
    "target_value": "20",
}


def test_create_read_update_archive(api_client_for, org, people, group) -> None:
    client = api_client_for(people.approver)
    response = client.post(
        "/api/v1/analytics/goals/",
        {
            **BODY,
            "unit": org.press.pk,
            "channel": org.press_channel.pk,
            "target_groups": [group.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["scope"] == "channel"
    assert body["target_groups"] == [group.pk]
    assert body["progress"]["state"] == "no_data"
    pk = body["id"]
    response = client.patch(f"/api/v1/analytics/goals/{pk}/", {"target_value": "25"}, format="json")
    assert response.json()["target_value"] == "25.00"
    assert response.json()["channel"] == org.press_channel.pk
    response = client.post(f"/api/v1/analytics/goals/{pk}/archive/")
    assert response.json()["archived"] is True
    response = client.patch(f"/api/v1/analytics/goals/{pk}/", {"title": "X"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_list_and_filters(api_client_for, org, people, goal) -> None:
    client = api_client_for(people.auditor)
    results = client.get("/api/v1/analytics/goals/").json()["results"]
    assert [r["id"] for r in results] == [goal.pk]
    assert results[0]["scope"] == "unit"
    assert client.get("/api/v1/analytics/goals/?archived=true").json()["results"] == []
    assert client.get(f"/api/v1/analytics/goals/?unit={org.social.pk}").json()["results"] == []


def test_reader_may_not_write(api_client_for, org, people, goal) -> None:
    client = api_client_for(people.editor)
    assert client.get(f"/api/v1/analytics/goals/{goal.pk}/").status_code == 200
    response = client.post(
        "/api/v1/analytics/goals/", {**BODY, "unit": org.press.pk}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert client.patch(f"/api/v1/analytics/goals/{goal.pk}/", {}, format="json").status_code == 403


def test_outsider_sees_nothing(api_client_for, org, people, goal) -> None:
    client = api_client_for(people.outsider)
    assert client.get(f"/api/v1/analytics/goals/{goal.pk}/").status_code == 404
    assert client.get("/api/v1/analytics/goals/").json()["results"] == []
    response = client.post(
        "/api/v1/analytics/goals/", {**BODY, "unit": org.press.pk}, format="json"
    )
    assert response.status_code == 400
    assert not Goal.objects.exclude(pk=goal.pk).exists()


def test_validation_errors_per_field(api_client_for, org, people) -> None:
    client = api_client_for(people.approver)
    response = client.post(
        "/api/v1/analytics/goals/",
        {**BODY, "unit": org.press.pk, "target_value": None},
        format="json",
    )
    assert response.status_code == 400
    assert "target_value" in response.json()


def test_unknown_target_group_of_another_authority(api_client_for, org, people) -> None:
    police_group = TargetGroup.objects.create(unit=org.police_press, name="Zeugen")
    client = api_client_for(people.approver)
    response = client.post(
        "/api/v1/analytics/goals/",
        {**BODY, "unit": org.press.pk, "target_groups": [police_group.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "target_groups" in response.json()


def test_target_groups_api(api_client_for, org, people) -> None:
    client = api_client_for(people.approver)
    response = client.post(
        "/api/v1/analytics/goals/target-groups/",
        {"unit": org.press.pk, "name": "Familien"},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.patch(
        f"/api/v1/analytics/goals/target-groups/{pk}/",
        {"description": "Mit Kindern"},
        format="json",
    )
    assert response.json()["description"] == "Mit Kindern"
    assert client.post(f"/api/v1/analytics/goals/target-groups/{pk}/archive/").json()["archived"]


def test_channel_strategy_api(api_client_for, org, people, group) -> None:
    client = api_client_for(people.approver)
    url = f"/api/v1/analytics/goals/channel-strategies/{org.press_channel.pk}/"
    assert client.get(url).json()["purpose"] == ""
    response = client.put(
        url,
        {"purpose": "Lagemeldungen", "audience": "", "target_groups": [group.pk]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["target_groups"] == [group.pk]
    listed = api_client_for(people.auditor).get("/api/v1/analytics/goals/channel-strategies/")
    assert "Lagemeldungen" in listed.content.decode()
    assert api_client_for(people.auditor).put(url, {}, format="json").status_code == 403


def test_in_the_openapi_schema(client_for, people) -> None:
    schema = client_for(people.editor).get("/api/schema/?format=json").json()
    assert "/api/v1/analytics/goals/" in schema["paths"]
    assert "/api/v1/analytics/goals/{id}/" in schema["paths"]
    assert "/api/v1/analytics/goals/channel-strategies/{channel_id}/" in schema["paths"]


def test_lists_stay_a_fixed_number_of_queries(api_client_for, org, people, group) -> None:
    client = api_client_for(people.auditor)
    urls = ("/api/v1/analytics/goals/", "/api/v1/analytics/goals/channel-strategies/")

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    make_goal(org.press).target_groups.add(group)
    ChannelStrategy.objects.create(channel=org.press_channel).target_groups.add(group)
    counts()  # the token's first use is recorded once
    few = counts()
    for number in range(8):
        make_goal(org.social, title=f"Ziel {number}").target_groups.add(group)
        channel = ChannelFactory(unit=org.social)
        ChannelStrategy.objects.create(channel=channel, purpose="Zweck").target_groups.add(group)
    assert counts() == few
