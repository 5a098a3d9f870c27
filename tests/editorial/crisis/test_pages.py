# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The crisis pages (editorial.crisis.views): pausing in one step, the overview, resuming and
deciding on missed posts."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from editorial.common.timeutil import BERLIN
from editorial.crisis.services import pause_end
from editorial.crisis.services import pause_start
from editorial.models import Post
from editorial.models import PostTemplate
from editorial.models import PublishingPause
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.crisis.conftest import S
from tests.editorial.crisis.conftest import de
from tests.editorial.crisis.conftest import make_emergency_post
from tests.editorial.crisis.conftest import make_post
from tests.editorial.crisis.conftest import start_pause
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

NEW = "/editorial/crisis/new/"


# --- Pausing --------------------------------------------------------------------------------


def test_the_pause_form_preselects_the_approvers_unit_and_keeps_the_page(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    page = client_for(people.approver).get(f"{NEW}?next=/channels/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="unit:{org.press.pk}" selected' in html  # scope preselected
    assert 'value="/channels/"' in html


def test_an_approver_pauses_in_one_step_and_returns_to_the_page(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    response = client_for(people.approver).post(
        NEW, {"scope": f"unit:{org.press.pk}", "reason": "Amoklage", "next": "/channels/"}
    )
    assert response.status_code == 302 and response["Location"] == "/channels/"
    pause = PublishingPause.objects.get()
    assert (pause.unit, pause.started_by, pause.reason) == (org.press, people.approver, "Amoklage")


def test_the_pause_form_does_not_follow_an_outside_next(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    response = client_for(people.approver).post(
        NEW,
        {
            "scope": f"channel:{org.social_channel.pk}",
            "reason": "x",
            "next": "https://evil.example/",
        },
    )
    assert PublishingPause.objects.count() == 1
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_the_pause_form_refuses_an_empty_reason(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    response = client_for(people.channel_admin).post(NEW, {"scope": f"unit:{org.press.pk}"})
    assert response.status_code == 200 and not PublishingPause.objects.exists()


def test_the_pause_form_refuses_another_authoritys_unit(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    response = client_for(people.channel_admin).post(
        NEW, {"scope": f"unit:{org.police.pk}", "reason": "x"}
    )
    assert response.status_code == 200 and not PublishingPause.objects.exists()


def test_a_channel_admin_may_pause_on_the_page(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    client_for(people.channel_admin).post(NEW, {"scope": f"unit:{org.press.pk}", "reason": "Lage"})
    assert PublishingPause.objects.get().started_by == people.channel_admin


def test_an_editor_gets_no_pause_form(people: People, client_for: Callable[[User], Client]) -> None:
    assert client_for(people.editor).get(NEW).status_code == 403


def test_an_editor_cannot_pause(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    response = client_for(people.editor).post(NEW, {"scope": f"unit:{org.press.pk}", "reason": "x"})
    assert response.status_code == 403
    assert not PublishingPause.objects.exists()


def test_an_editor_sees_the_crisis_overview(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    start_pause(org, people)
    assert client_for(people.editor).get("/editorial/crisis/").status_code == 200


def test_an_editor_cannot_resume(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    pause = start_pause(org, people)
    assert (
        client_for(people.editor).post(f"/editorial/crisis/{pause.pk}/resume/").status_code == 403
    )
    assert PublishingPause.objects.get().ended_at is None


# --- Other authorities ----------------------------------------------------------------------


def test_the_pause_pages_of_another_authority_answer_404(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    pause = start_pause(org, people)
    client = client_for(people.outsider)
    assert client.get(f"/editorial/crisis/{pause.pk}/missed/").status_code == 404
    assert client.post(f"/editorial/crisis/{pause.pk}/resume/").status_code == 404
    assert PublishingPause.objects.get().ended_at is None


def test_the_overview_hides_the_pauses_of_another_authority(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    start_pause(org, people)
    assert "Amoklage" not in client_for(people.outsider).get("/editorial/crisis/").content.decode()


def test_the_start_page_works_during_a_pause(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    start_pause(org, people)
    assert client_for(people.approver).get("/").status_code == 200


@pytest.fixture
def crisis_pages(org: Org, people: People, emergency: tuple[PostTemplate, User]) -> list[str]:
    """Every GET page of crisis mode, during a pause with an emergency post waiting (the
    other routes are the POSTs of these pages and of the pause form)."""
    pause = start_pause(org, people)
    post = make_emergency_post(org, people, emergency[0])
    return [
        "/editorial/crisis/",
        f"/editorial/crisis/{pause.pk}/missed/",
        "/editorial/crisis/emergency/",
        f"/editorial/crisis/emergency/{post.pk}/approve/",
    ]


def test_the_crisis_pages_need_a_login(crisis_pages: list[str]) -> None:
    for url in crisis_pages:
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login")


@pytest.mark.parametrize("who", ["community_manager", "auditor"])
def test_the_crisis_pages_are_closed_to_who_neither_pauses_nor_writes(
    people: People, client_for: Callable[[User], Client], crisis_pages: list[str], who: str
) -> None:
    """The navigation's rule (user_may_use_crisis_mode): the pausing roles and editors."""
    client = client_for(getattr(people, who))
    for url in crisis_pages:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["editor", "approver", "channel_admin", "system_admin"])
def test_the_crisis_pages_are_open_to_the_pausing_roles_and_editors(
    people: People, client_for: Callable[[User], Client], crisis_pages: list[str], who: str
) -> None:
    client = client_for(getattr(people, who))
    for url in crisis_pages:
        assert client.get(url).status_code == 200, url


# --- Resuming and missed posts --------------------------------------------------------------


@dataclass
class Held:
    pause: PublishingPause
    first: Post
    second: Post


@pytest.fixture
def held(org: Org, people: People) -> Iterator[Held]:
    """Two posts held by a pause that started 20 minutes ago; the clock stands there."""
    start = timezone.now()
    first = make_post(org, people, planned_at=start + timedelta(minutes=5), title="Erster")
    second = make_post(org, people, planned_at=start + timedelta(minutes=6), title="Zweiter")
    with time_machine.travel(start, tick=False):
        pause = start_pause(org, people)
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        yield Held(pause, first, second)


@pytest.fixture
def resumed(held: Held, people: People) -> Held:
    pause_end(actor=people.approver, pause=held.pause)
    return held


def test_the_missed_page_lists_the_held_posts_during_the_pause(
    held: Held, people: People, client_for: Callable[[User], Client]
) -> None:
    page = client_for(people.approver).get(f"/editorial/crisis/{held.pause.pk}/missed/")
    html = page.content.decode()
    assert "Erster" in html and "Zweiter" in html


def test_resuming_leads_to_the_missed_posts_and_their_actions(
    held: Held, people: People, client_for: Callable[[User], Client]
) -> None:
    client = client_for(people.approver)
    response = client.post(f"/editorial/crisis/{held.pause.pk}/resume/")
    assert response["Location"] == f"/editorial/crisis/{held.pause.pk}/missed/"
    page = client.get(response["Location"]).content.decode()
    assert "Erster" in page and "Zweiter" in page and de("Set new time") in page


def test_a_missed_post_is_rescheduled_on_the_page(
    resumed: Held, people: People, client_for: Callable[[User], Client]
) -> None:
    first = resumed.first
    tomorrow = timezone.localtime(timezone.now() + timedelta(days=1), BERLIN)
    response = client_for(people.approver).post(
        f"/editorial/crisis/{resumed.pause.pk}/missed/{first.pk}/reschedule/",
        {
            f"r{first.pk}-planned_date": tomorrow.date().isoformat(),
            f"r{first.pk}-planned_time": "09:30",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert timezone.localtime(first.planned_at, BERLIN).strftime("%H:%M") == "09:30"


def test_discarding_on_the_page_needs_a_reason(
    resumed: Held, people: People, client_for: Callable[[User], Client]
) -> None:
    second = resumed.second
    response = client_for(people.approver).post(
        f"/editorial/crisis/{resumed.pause.pk}/missed/{second.pk}/discard/",
        {f"d{second.pk}-reason": ""},
    )
    assert response.status_code == 400
    assert Post.objects.get(pk=second.pk).status == S.SCHEDULED


def test_a_missed_post_is_discarded_on_the_page(
    resumed: Held, people: People, client_for: Callable[[User], Client]
) -> None:
    second = resumed.second
    response = client_for(people.approver).post(
        f"/editorial/crisis/{resumed.pause.pk}/missed/{second.pk}/discard/",
        {f"d{second.pk}-reason": "Überholt"},
    )
    assert response.status_code == 302
    assert Post.objects.get(pk=second.pk).status == S.WITHDRAWN


def test_a_discarded_post_is_gone_from_the_missed_posts(
    resumed: Held, people: People, client_for: Callable[[User], Client]
) -> None:
    second = resumed.second
    client = client_for(people.approver)
    url = f"/editorial/crisis/{resumed.pause.pk}/missed/{second.pk}/discard/"
    client.post(url, {f"d{second.pk}-reason": "Überholt"})
    # A second attempt finds nothing to act on.
    assert client.post(url, {f"d{second.pk}-reason": "nochmal"}).status_code == 404


def test_reschedule_refuses_the_nonexistent_spring_hour(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    start = datetime(2027, 3, 20, 10, 0, tzinfo=BERLIN)
    with time_machine.travel(start - timedelta(hours=2), tick=False):
        post = make_post(org, people, planned_at=start + timedelta(minutes=5))
    with time_machine.travel(start, tick=False):
        pause = start_pause(org, people)
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        pause_end(actor=people.approver, pause=pause)
        response = client_for(people.approver).post(
            f"/editorial/crisis/{pause.pk}/missed/{post.pk}/reschedule/",
            {f"r{post.pk}-planned_date": "2027-03-28", f"r{post.pk}-planned_time": "02:30"},
        )
    assert response.status_code == 400
    assert "does not exist" in response.content.decode() or "gibt es" in (response.content.decode())


# --- Constant queries -----------------------------------------------------------------------


def test_pause_list_uses_constant_queries(
    org: Org,
    people: People,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Callable,
) -> None:
    client = client_for(people.system_admin)

    def make(n: int) -> None:
        for i in range(n):
            pause = pause_start(actor=people.system_admin, reason=f"Lage {i}", unit=org.press)
            pause_end(actor=people.system_admin, pause=pause)
        pause_start(actor=people.system_admin, reason="aktiv", channel=org.press_channel)

    make(1)
    client.get("/editorial/crisis/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/editorial/crisis/").status_code == 200
    PublishingPause.objects.filter(ended_at__isnull=True).update(ended_at=timezone.now())
    make(8)
    with django_assert_max_num_queries(len(few)):
        assert client.get("/editorial/crisis/").status_code == 200


def test_missed_list_uses_constant_queries(
    org: Org,
    people: People,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Callable,
) -> None:
    start = timezone.now()
    make_post(org, people, planned_at=start + timedelta(minutes=5))
    with time_machine.travel(start, tick=False):
        pause = start_pause(org, people)
    client = client_for(people.approver)
    url = f"/editorial/crisis/{pause.pk}/missed/"
    with (
        time_machine.travel(start + timedelta(minutes=30), tick=False),
        CaptureQueriesContext(connection) as few,
    ):
        client.get(url)
    for i in range(6):
        make_post(
            org,
            people,
            planned_at=start + timedelta(minutes=6 + i),
            channels=[org.press_channel, org.social_channel],
        )
    with (
        time_machine.travel(start + timedelta(minutes=30), tick=False),
        django_assert_max_num_queries(len(few)),
    ):
        html = client.get(url).content.decode()
    assert html.count('class="card missed-post"') == 7
