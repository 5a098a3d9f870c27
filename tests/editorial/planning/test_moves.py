# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Moving a post in the calendar (/editorial/planning/posts/<id>/move/): approval kept, audit,
rights, and the days on which clocks change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from datetime import datetime

import pytest
from django.test import Client

from accounts.models import AuditEntry
from accounts.models import Role
from accounts.models import User
from editorial.models import Approval
from editorial.models import Post
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.planning.conftest import S
from tests.editorial.planning.conftest import approved_post
from tests.editorial.planning.conftest import berlin
from tests.editorial.planning.conftest import make_post
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ORIGINAL_TIME = berlin(2026, 6, 15, 9, 30)


def move_url(post: Post) -> str:
    return f"/editorial/planning/posts/{post.pk}/move/"


@pytest.fixture
def approved(org: Org, people: People) -> Post:
    post = approved_post(org, people)
    assert post.status == S.SCHEDULED
    return post


# --- Moving ---------------------------------------------------------------------------------


def test_the_move_form_shows_the_current_day(
    approved: Post, people: People, client_for: Callable[[User], Client]
) -> None:
    form = client_for(people.editor).get(move_url(approved))
    assert form.status_code == 200
    assert 'value="2026-06-15"' in form.content.decode()


def test_a_move_returns_to_the_calendar_view(
    approved: Post, people: People, client_for: Callable[[User], Client]
) -> None:
    response = client_for(people.editor).post(
        move_url(approved),
        {"date": "2026-06-18", "time": "11:15", "next": "/editorial/planning/?view=week"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/editorial/planning/?view=week"


def test_a_move_reschedules_the_post_and_keeps_its_approval(
    approved: Post, people: People, client_for: Callable[[User], Client]
) -> None:
    client_for(people.editor).post(move_url(approved), {"date": "2026-06-18", "time": "11:15"})
    approved.refresh_from_db()
    assert approved.planned_at == berlin(2026, 6, 18, 11, 15)
    assert approved.status == S.SCHEDULED
    assert Approval.objects.filter(post=approved, is_current=True).count() == 1
    assert set(approved.variants.values_list("scheduled_at", flat=True)) == {approved.planned_at}


def test_a_move_is_audited_as_keeping_the_approval(
    approved: Post, people: People, client_for: Callable[[User], Client]
) -> None:
    client_for(people.editor).post(move_url(approved), {"date": "2026-06-18", "time": "11:15"})
    entry = AuditEntry.objects.filter(action="editorial.post.rescheduled").latest("sequence")
    assert entry.actor == people.editor
    assert entry.target_id == str(approved.pk)
    assert entry.data["kept_approval"] is True
    assert datetime.fromisoformat(entry.data["after"]["planned_at"]) == berlin(2026, 6, 18, 11, 15)


def test_an_approver_may_move_too(
    approved: Post, people: People, client_for: Callable[[User], Client]
) -> None:
    response = client_for(people.approver).post(
        move_url(approved), {"date": "2026-06-19", "time": "08:00"}
    )
    assert response.status_code == 302


def test_a_move_by_drag_and_drop_answers_json(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    post = make_post(org, people)
    ok = client_for(people.editor).post(
        move_url(post), {"date": "2026-06-16", "time": "09:30"}, HTTP_ACCEPT="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["ok"] is True


def test_a_refused_drag_and_drop_answers_json_errors(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    post = make_post(org, people)
    bad = client_for(people.editor).post(
        move_url(post), {"date": "2027-03-28", "time": "02:30"}, HTTP_ACCEPT="application/json"
    )
    assert bad.status_code == 400
    assert "does not exist" in bad.json()["errors"][0]


# --- Refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "police editor"])
def test_the_move_of_another_authoritys_post_answers_404(
    org: Org, approved: Post, people: People, client_for: Callable[[User], Client], who: str
) -> None:
    if who == "outsider":
        user = people.outsider
    else:
        user = UserFactory(language="en", roles=[(org.police, Role.EDITOR)])
    client = client_for(user)
    assert client.get(move_url(approved)).status_code == 404
    assert (
        client.post(move_url(approved), {"date": "2026-06-18", "time": "11:15"}).status_code == 404
    )
    approved.refresh_from_db()
    assert approved.planned_at == ORIGINAL_TIME


def test_a_community_manager_sees_the_post_but_may_not_move_it(
    approved: Post, people: People, client_for: Callable[[User], Client]
) -> None:
    client = client_for(people.community_manager)
    assert client.get(move_url(approved)).status_code == 403
    assert (
        client.post(move_url(approved), {"date": "2026-06-18", "time": "11:15"}).status_code == 403
    )
    approved.refresh_from_db()
    assert approved.planned_at == ORIGINAL_TIME
    assert not AuditEntry.objects.filter(action="editorial.post.rescheduled").exists()


def test_no_move_link_for_those_who_cannot_move(
    approved: Post, people: People, client_for: Callable[[User], Client]
) -> None:
    html = client_for(people.community_manager).get("/editorial/planning/").content.decode()
    assert approved.title in html
    assert move_url(approved) not in html


def test_move_an_approved_post_into_the_past_is_refused(
    approved: Post, people: People, client_for: Callable[[User], Client]
) -> None:
    response = client_for(people.editor).post(
        move_url(approved), {"date": "2026-06-01", "time": "09:00"}
    )
    assert response.status_code == 400
    assert "cannot be moved into the past" in response.content.decode()


# --- Clock changes --------------------------------------------------------------------------


def test_move_into_the_missing_spring_hour_is_explained(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    post = make_post(org, people)
    response = client_for(people.editor).post(
        move_url(post), {"date": "2027-03-28", "time": "02:30"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "02:30 does not exist on 28.03.2027" in html
    assert "clocks go forward" in html
    post.refresh_from_db()
    assert post.planned_at == ORIGINAL_TIME


def test_move_into_the_doubled_autumn_hour_asks_which_one(
    approved: Post, people: People, client_for: Callable[[User], Client]
) -> None:
    asked = client_for(people.editor).post(
        move_url(approved), {"date": "2026-10-25", "time": "02:30"}
    )
    assert asked.status_code == 400
    html = asked.content.decode()
    assert "happens twice on 25.10.2026" in html
    assert 'name="occurrence"' in html
    assert "summer time (CEST, UTC+2)" in html
    approved.refresh_from_db()
    assert approved.planned_at == ORIGINAL_TIME


@pytest.mark.parametrize(
    ("choice", "expected_utc"),
    [
        ("first", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        ("second", datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
    ],
)
def test_move_into_the_doubled_autumn_hour_takes_the_chosen_one(
    approved: Post,
    people: People,
    client_for: Callable[[User], Client],
    choice: str,
    expected_utc: datetime,
) -> None:
    done = client_for(people.editor).post(
        move_url(approved), {"date": "2026-10-25", "time": "02:30", "occurrence": choice}
    )
    assert done.status_code == 302
    approved.refresh_from_db()
    assert approved.planned_at == expected_utc
    assert approved.status == S.SCHEDULED


def test_the_move_form_does_not_ask_on_ordinary_days(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    post = make_post(org, people)
    html = client_for(people.editor).get(move_url(post)).content
    assert b'name="occurrence"' not in html
