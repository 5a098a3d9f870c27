# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The goals pages: approvers set goals and target groups and write channel strategies;
readers see them; the lists stay O(page)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.models import ChannelStrategy
from analytics.models import Goal
from analytics.models import TargetGroup
from tests.analytics.goals.conftest import make_goal
from tests.conftest import de
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _goal_form(unit_id, **fields):  # type: ignore[no-untyped-def]
    return {
        "unit": unit_id,
        "title": "Jüngere Menschen erreichen",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "metric": "followers_growth",
        "channel": "",
        "comparison": "at_least",
        "target_value": "20",
        **fields,
    }


def test_approver_creates_a_goal(client_for, org, people, group) -> None:
    client = client_for(people.approver)
    response = client.post(
        "/analytics/goals/new/", _goal_form(org.press.pk, target_groups=[group.pk])
    )
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/analytics/goals/{goal.pk}/"
    assert list(goal.target_groups.all()) == [group]


def test_form_errors_are_shown(client_for, org, people) -> None:
    client = client_for(people.approver)
    response = client.post("/analytics/goals/new/", _goal_form(org.press.pk, target_value=""))
    assert response.status_code == 400
    assert de("A KPI needs a target value.") in response.content.decode()
    assert not Goal.objects.exists()


def test_detail_shows_no_data_honestly(client_for, org, people, goal) -> None:
    body = client_for(people.editor).get(f"/analytics/goals/{goal.pk}/").content.decode()
    assert goal.title in body
    assert (
        de(
            "No figures for this period yet: the platforms have not reported any, or they do not"
            " provide this figure."
        )
        in body
    )
    assert f"/analytics/goals/{goal.pk}/edit/" not in body


def test_editor_may_not_edit_or_archive(client_for, people, goal) -> None:
    client = client_for(people.editor)
    assert client.get(f"/analytics/goals/{goal.pk}/edit/").status_code == 403
    assert client.post(f"/analytics/goals/{goal.pk}/archive/").status_code == 403
    assert client.get("/analytics/goals/new/").status_code == 403


def test_edit_and_archive(client_for, org, people, goal) -> None:
    client = client_for(people.approver)
    assert client.get(f"/analytics/goals/{goal.pk}/edit/").status_code == 200
    data = _goal_form(org.press.pk, target_value="30")
    del data["unit"]
    assert client.post(f"/analytics/goals/{goal.pk}/edit/", data).status_code == 302
    goal.refresh_from_db()
    assert goal.target_value == 30
    client.post(f"/analytics/goals/{goal.pk}/archive/")
    goal.refresh_from_db()
    assert goal.archived_at is not None
    assert goal.title not in client.get("/analytics/goals/").content.decode()
    assert goal.title in client.get("/analytics/goals/?archived=1").content.decode()


def test_another_authority_does_not_see_the_goal(client_for, people, goal) -> None:
    client = client_for(people.outsider)
    assert client.get(f"/analytics/goals/{goal.pk}/").status_code == 404
    assert goal.title not in client.get("/analytics/goals/").content.decode()


def test_goal_list_queries_do_not_grow(client_for, org, people) -> None:
    client = client_for(people.auditor)
    group = TargetGroup.objects.create(unit=org.press, name="Eltern")
    make_goal(org.press).target_groups.add(group)
    client.get("/analytics/goals/")
    with CaptureQueriesContext(connection) as few:
        client.get("/analytics/goals/")
    for number in range(10):
        make_goal(org.social, title=f"Ziel {number}", channel=org.social_channel).target_groups.add(
            group
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/analytics/goals/")
    assert "Ziel 9" in response.content.decode()
    assert len(many) == len(few)


def test_target_groups_pages(client_for, org, people) -> None:
    client = client_for(people.approver)
    response = client.post(
        "/analytics/goals/target-groups/new/", {"unit": org.press.pk, "name": "Senioren"}
    )
    assert response.status_code == 302
    group = TargetGroup.objects.get()
    edit = f"/analytics/goals/target-groups/{group.pk}/edit/"
    assert client.post(edit, {"name": "Ältere Menschen", "description": ""}).status_code == 302
    assert "Ältere Menschen" in client.get("/analytics/goals/target-groups/").content.decode()
    client.post(f"/analytics/goals/target-groups/{group.pk}/archive/")
    group.refresh_from_db()
    assert group.archived_at is not None
    assert client_for(people.editor).get(edit).status_code == 403


def test_channel_strategy_pages(client_for, org, people, group) -> None:
    client = client_for(people.approver)
    url = f"/analytics/goals/channels/{org.press_channel.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"purpose": "Schnelle Lagemeldungen", "audience": "Pendler", "target_groups": [group.pk]},
    )
    assert response.status_code == 302
    strategy = ChannelStrategy.objects.get(channel=org.press_channel)
    assert list(strategy.target_groups.all()) == [group]
    body = client_for(people.community_manager).get("/analytics/goals/channels/").content
    assert "Schnelle Lagemeldungen" in body.decode()
    assert client_for(people.community_manager).get(url).status_code == 403


def test_navigation_entry(client_for, people) -> None:
    # "Auswertungen" leads to the dashboard and stays marked on the goals pages.
    body = client_for(people.editor).get("/analytics/goals/").content.decode()
    nav = body[body.index('<nav class="main-nav"') :]
    assert 'href="/analytics/" aria-current="true"' in nav[: nav.index("</nav>")]
