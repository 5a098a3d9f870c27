# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The crisis API (editorial.crisis.api): /api/v1/pauses/ with resume and missed posts, and
/api/v1/emergency-posts/."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.models import User
from editorial.crisis.services import pause_end
from editorial.models import Post
from editorial.models import PostTemplate
from editorial.models import PublishingPause
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.crisis.conftest import S
from tests.editorial.crisis.conftest import make_emergency_post
from tests.editorial.crisis.conftest import make_post
from tests.editorial.crisis.conftest import start_pause
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ApiClientFor = Callable[[User], Any]

# --- Pauses ---------------------------------------------------------------------------------


def test_a_channel_admin_pauses_through_the_api(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(people.channel_admin).post(
        "/api/v1/pauses/", {"unit": org.press.pk, "reason": "Lage"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["active"] is True and "Presseamt" in response.json()["scope"]
    assert PublishingPause.objects.get().pk == response.json()["id"]


def test_the_api_lists_the_pauses(org: Org, people: People, api_client_for: ApiClientFor) -> None:
    pause = start_pause(org, people)
    listed = api_client_for(people.channel_admin).get("/api/v1/pauses/").json()
    assert [p["id"] for p in listed["results"]] == [pause.pk]


def test_an_editor_cannot_pause_through_the_api(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(people.editor).post(
        "/api/v1/pauses/", {"unit": org.press.pk, "reason": "x"}, format="json"
    )
    assert response.status_code == 403


def test_the_api_needs_a_reason_for_a_pause(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(people.approver).post(
        "/api/v1/pauses/", {"channel": org.social_channel.pk, "reason": ""}, format="json"
    )
    assert response.status_code == 400


def test_the_api_does_not_know_another_authoritys_unit(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(people.approver).post(
        "/api/v1/pauses/", {"unit": org.police.pk, "reason": "x"}, format="json"
    )
    assert response.status_code == 400 and "unit" in response.json()


def test_only_operators_pause_the_whole_installation_through_the_api(
    people: People, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(people.approver).post(
        "/api/v1/pauses/", {"reason": "alles"}, format="json"
    )
    assert response.status_code == 403


def test_the_pauses_of_another_authority_answer_404_in_the_api(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    pause = start_pause(org, people)
    outsider = api_client_for(people.outsider)
    assert outsider.get(f"/api/v1/pauses/{pause.pk}/").status_code == 404
    assert outsider.post(f"/api/v1/pauses/{pause.pk}/resume/").status_code == 404
    assert outsider.get(f"/api/v1/pauses/{pause.pk}/missed/").status_code == 404


def test_an_editor_cannot_resume_through_the_api(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    pause = start_pause(org, people)
    assert (
        api_client_for(people.editor).post(f"/api/v1/pauses/{pause.pk}/resume/").status_code == 403
    )
    assert PublishingPause.objects.get().ended_at is None


# --- Resuming and missed posts --------------------------------------------------------------


@dataclass
class Missed:
    pause: PublishingPause
    missed: Post
    gone: Post


@pytest.fixture
def paused(org: Org, people: People) -> Iterator[Missed]:
    """Two posts held by a pause of the Presseamt that started 20 minutes ago; the clock
    stands there."""
    start = timezone.now()
    missed = make_post(org, people, planned_at=start + timedelta(minutes=5), title="Verpasst")
    gone = make_post(org, people, planned_at=start + timedelta(minutes=6), title="Weg")
    with time_machine.travel(start, tick=False):
        pause = start_pause(org, people)
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        yield Missed(pause, missed, gone)


@pytest.fixture
def resumed(paused: Missed, people: People) -> Missed:
    pause_end(actor=people.approver, pause=paused.pause)
    return paused


def test_resuming_through_the_api_ends_the_pause(
    paused: Missed, people: People, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(people.channel_admin).post(
        f"/api/v1/pauses/{paused.pause.pk}/resume/"
    )
    assert response.status_code == 200 and response.json()["active"] is False


def test_resuming_an_ended_pause_through_the_api_is_refused(
    resumed: Missed, people: People, api_client_for: ApiClientFor
) -> None:
    again = api_client_for(people.channel_admin).post(f"/api/v1/pauses/{resumed.pause.pk}/resume/")
    assert again.status_code == 400


def test_the_api_lists_the_missed_posts_of_a_pause(
    resumed: Missed, people: People, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(people.channel_admin)
    rows = client.get(f"/api/v1/pauses/{resumed.pause.pk}/missed/").json()["results"]
    assert [r["id"] for r in rows] == [resumed.missed.pk, resumed.gone.pk]


def _reschedule(client: Any, missed: Missed) -> Any:
    new_time = (timezone.now() + timedelta(hours=3)).isoformat()
    return client.post(
        f"/api/v1/pauses/{missed.pause.pk}/missed/{missed.missed.pk}/reschedule/",
        {"planned_at": new_time},
        format="json",
    )


def _discard(client: Any, missed: Missed, reason: str) -> Any:
    return client.post(
        f"/api/v1/pauses/{missed.pause.pk}/missed/{missed.gone.pk}/discard/",
        {"reason": reason},
        format="json",
    )


def test_a_missed_post_is_rescheduled_through_the_api(
    resumed: Missed, people: People, api_client_for: ApiClientFor
) -> None:
    response = _reschedule(api_client_for(people.approver), resumed)
    assert response.status_code == 200, response.content


def test_discarding_through_the_api_needs_a_reason(
    resumed: Missed, people: People, api_client_for: ApiClientFor
) -> None:
    response = _discard(api_client_for(people.approver), resumed, "")
    assert response.status_code == 400


def test_a_missed_post_is_discarded_through_the_api(
    resumed: Missed, people: People, api_client_for: ApiClientFor
) -> None:
    response = _discard(api_client_for(people.approver), resumed, "Überholt")
    assert response.status_code == 200 and response.json()["status"] == S.WITHDRAWN


def test_the_api_lists_no_missed_posts_once_each_is_decided(
    resumed: Missed, people: People, api_client_for: ApiClientFor
) -> None:
    approver = api_client_for(people.approver)
    _reschedule(approver, resumed)
    _discard(approver, resumed, "Überholt")
    missed = api_client_for(people.channel_admin).get(f"/api/v1/pauses/{resumed.pause.pk}/missed/")
    assert missed.json()["results"] == []


# --- Emergency posts ------------------------------------------------------------------------


def _payload(org: Org, template: PostTemplate, **values: str) -> dict[str, Any]:
    return {"template": template.pk, "values": values, "channels": [org.press_channel.pk]}


def test_the_api_refuses_an_emergency_post_with_a_missing_value(
    org: Org, people: People, emergency: tuple[PostTemplate, User], api_client_for: ApiClientFor
) -> None:
    template, _designated = emergency
    response = api_client_for(people.editor).post(
        "/api/v1/emergency-posts/", _payload(org, template, ort="Markt"), format="json"
    )
    assert response.status_code == 400 and "values" in response.json()


def test_an_emergency_post_is_created_in_review_through_the_api(
    org: Org, people: People, emergency: tuple[PostTemplate, User], api_client_for: ApiClientFor
) -> None:
    template, _designated = emergency
    response = api_client_for(people.editor).post(
        "/api/v1/emergency-posts/",
        _payload(org, template, ort="Markt", massnahme="meiden"),
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["is_emergency"] is True and response.json()["status"] == S.IN_REVIEW


def test_another_authority_cannot_use_the_template_through_the_api(
    org: Org, people: People, emergency: tuple[PostTemplate, User], api_client_for: ApiClientFor
) -> None:
    template, _designated = emergency
    response = api_client_for(people.outsider).post(
        "/api/v1/emergency-posts/",
        _payload(org, template, ort="Markt", massnahme="meiden"),
        format="json",
    )
    assert response.status_code == 400 and "template" in response.json()


@pytest.fixture
def approve_url(org: Org, people: People, emergency: tuple[PostTemplate, User]) -> str:
    template, _designated = emergency
    post = make_emergency_post(org, people, template, ort="Markt")
    return f"/api/v1/emergency-posts/{post.pk}/approve/"


def test_an_approver_who_is_not_designated_cannot_approve_through_the_api(
    people: People, approve_url: str, api_client_for: ApiClientFor
) -> None:
    assert api_client_for(people.approver).post(approve_url).status_code == 403


def test_another_authority_cannot_approve_through_the_api(
    people: People, approve_url: str, api_client_for: ApiClientFor
) -> None:
    assert api_client_for(people.outsider).post(approve_url).status_code == 404


def test_the_designated_approver_schedules_an_emergency_post_through_the_api(
    emergency: tuple[PostTemplate, User], approve_url: str, api_client_for: ApiClientFor
) -> None:
    _template, designated = emergency
    response = api_client_for(designated).post(approve_url)
    assert response.status_code == 200 and response.json()["status"] == S.SCHEDULED


# --- Schema ---------------------------------------------------------------------------------


def test_crisis_endpoints_are_in_the_openapi_schema(
    people: People, client_for: Callable[[User], Client]
) -> None:
    response = client_for(people.approver).get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = response.json()["paths"]
    for path in (
        "/api/v1/pauses/",
        "/api/v1/pauses/{id}/",
        "/api/v1/pauses/{id}/resume/",
        "/api/v1/pauses/{id}/missed/",
        "/api/v1/pauses/{id}/missed/{post_pk}/reschedule/",
        "/api/v1/pauses/{id}/missed/{post_pk}/discard/",
        "/api/v1/emergency-posts/",
        "/api/v1/emergency-posts/{id}/approve/",
    ):
        assert path in paths, path
    assert "post" in paths["/api/v1/pauses/"] and "get" in paths["/api/v1/pauses/"]
