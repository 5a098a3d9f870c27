# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Topic slots (editorial.planning.services slot_*): planning, editing and deleting them on their
pages, and writing the post a slot stands for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time

import pytest
from django.test import Client

from accounts.models import AuditEntry
from accounts.models import User
from editorial.models import CalendarSlot
from editorial.models import Post
from editorial.models import Topic
from editorial.planning.services import slot_create
from editorial.planning.services import slot_write_post
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.planning.conftest import S
from tests.editorial.planning.conftest import berlin
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

# --- Creating, editing, deleting ------------------------------------------------------------


@pytest.fixture
def topic(org: Org) -> Topic:
    return Topic.objects.create(unit=org.press, name="Wahl")


def _plan_on_the_page(client: Client, org: Org, topic: Topic) -> CalendarSlot:
    response = client.post(
        "/editorial/planning/slots/new/",
        {
            "unit": org.press.pk,
            "title": "Briefwahl erklären",
            "day": "2026-06-12",
            "time": "",
            "topic": topic.pk,
            "channels": [org.press_channel.pk, org.social_channel.pk],
            "note": "Mit Grafik",
        },
    )
    assert response.status_code == 302
    return CalendarSlot.objects.get()


def test_the_new_slot_form_opens_on_the_chosen_day(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    assert (
        client_for(people.editor).get("/editorial/planning/slots/new/?date=2026-06-12").status_code
        == 200
    )


def test_an_editor_plans_a_slot_on_the_page(
    org: Org, people: People, topic: Topic, client_for: Callable[[User], Client]
) -> None:
    slot = _plan_on_the_page(client_for(people.editor), org, topic)
    assert (slot.title, slot.topic, slot.time, slot.created_by) == (
        "Briefwahl erklären",
        topic,
        None,
        people.editor,
    )
    assert set(slot.channels.all()) == {org.press_channel, org.social_channel}


def test_planning_a_slot_is_audited(
    org: Org, people: People, topic: Topic, client_for: Callable[[User], Client]
) -> None:
    _plan_on_the_page(client_for(people.editor), org, topic)
    created = AuditEntry.objects.get(action="editorial.slot.created")
    assert created.data["after"]["title"] == "Briefwahl erklären"
    assert created.data["after"]["channels"] == sorted(
        [org.press_channel.pk, org.social_channel.pk]
    )


@pytest.fixture
def planned(org: Org, people: People, topic: Topic) -> CalendarSlot:
    return slot_create(
        actor=people.editor,
        unit=org.press,
        title="Briefwahl erklären",
        day=date(2026, 6, 12),
        topic=topic,
        channels=[org.press_channel, org.social_channel],
    )


def _edit_on_the_page(client: Client, org: Org, slot: CalendarSlot) -> None:
    assert client.get(f"/editorial/planning/slots/{slot.pk}/").status_code == 200
    response = client.post(
        f"/editorial/planning/slots/{slot.pk}/",
        {"unit": org.press.pk, "title": "Briefwahl", "day": "2026-06-13", "time": "10:00"},
    )
    assert response.status_code == 302


def test_an_editor_edits_a_slot_on_the_page(
    org: Org, people: People, planned: CalendarSlot, client_for: Callable[[User], Client]
) -> None:
    _edit_on_the_page(client_for(people.editor), org, planned)
    planned.refresh_from_db()
    assert (planned.title, planned.day, planned.time) == (
        "Briefwahl",
        date(2026, 6, 13),
        time(10, 0),
    )
    assert list(planned.channels.all()) == []


def test_editing_a_slot_is_audited_before_and_after(
    org: Org, people: People, planned: CalendarSlot, client_for: Callable[[User], Client]
) -> None:
    _edit_on_the_page(client_for(people.editor), org, planned)
    updated = AuditEntry.objects.get(action="editorial.slot.updated")
    assert updated.data["before"]["title"] == "Briefwahl erklären"
    assert updated.data["after"]["day"] == "2026-06-13"


def test_an_editor_deletes_a_slot_on_the_page_and_it_is_audited(
    people: People, planned: CalendarSlot, client_for: Callable[[User], Client]
) -> None:
    client = client_for(people.editor)
    assert client.get(f"/editorial/planning/slots/{planned.pk}/delete/").status_code == 200
    assert client.post(f"/editorial/planning/slots/{planned.pk}/delete/").status_code == 302
    assert not CalendarSlot.objects.exists()
    assert AuditEntry.objects.get(action="editorial.slot.deleted").target_id == str(planned.pk)


# --- Refusals -------------------------------------------------------------------------------


@pytest.fixture
def slot(org: Org, people: People) -> CalendarSlot:
    return slot_create(actor=people.editor, unit=org.press, title="Platz", day=date(2026, 6, 3))


def test_an_approver_may_not_plan_slots(
    people: People, slot: CalendarSlot, client_for: Callable[[User], Client]
) -> None:
    approver = client_for(people.approver)
    assert approver.get("/editorial/planning/slots/new/").status_code == 403
    assert approver.post("/editorial/planning/slots/new/", {}).status_code == 403
    assert CalendarSlot.objects.count() == 1


@pytest.mark.parametrize("suffix", ["", "delete/", "write/"])
def test_an_approver_may_not_edit_delete_or_write_a_slot(
    people: People, slot: CalendarSlot, client_for: Callable[[User], Client], suffix: str
) -> None:
    approver = client_for(people.approver)
    assert approver.get(f"/editorial/planning/slots/{slot.pk}/{suffix}").status_code == 403
    assert approver.post(f"/editorial/planning/slots/{slot.pk}/{suffix}").status_code == 403
    assert CalendarSlot.objects.filter(pk=slot.pk, post__isnull=True).exists()


@pytest.mark.parametrize("suffix", ["", "delete/", "write/"])
def test_the_slot_pages_of_another_authority_answer_404(
    people: People, slot: CalendarSlot, client_for: Callable[[User], Client], suffix: str
) -> None:
    outsider = client_for(people.outsider)
    assert outsider.get(f"/editorial/planning/slots/{slot.pk}/{suffix}").status_code == 404
    assert outsider.post(f"/editorial/planning/slots/{slot.pk}/{suffix}").status_code == 404
    assert CalendarSlot.objects.filter(pk=slot.pk, post__isnull=True).exists()


def test_an_editor_cannot_plan_a_slot_in_another_authoritys_unit(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    response = client_for(people.editor).post(
        "/editorial/planning/slots/new/",
        {"unit": org.police.pk, "title": "x", "day": "2026-06-03"},
    )
    assert response.status_code == 400
    assert not CalendarSlot.objects.exists()


# --- Writing the post -----------------------------------------------------------------------


@pytest.fixture
def election(org: Org, people: People, topic: Topic) -> CalendarSlot:
    return slot_create(
        actor=people.editor,
        unit=org.social,
        title="Briefwahl",
        day=date(2026, 6, 12),
        time=time(16, 45),
        topic=topic,
        channels=[org.social_channel],
    )


def test_the_calendar_offers_to_write_the_post_of_a_slot(
    election: CalendarSlot, people: People, client_for: Callable[[User], Client]
) -> None:
    client = client_for(people.editor)
    html = client.get("/editorial/planning/?date=2026-06-12").content.decode()
    assert "Slot:</strong> Wahl \u2013 Briefwahl" in html
    assert f"/editorial/planning/slots/{election.pk}/write/" in html
    assert client.get(f"/editorial/planning/slots/{election.pk}/write/").status_code == 200


def test_writing_the_post_of_a_slot_creates_a_draft_from_it(
    org: Org,
    election: CalendarSlot,
    topic: Topic,
    people: People,
    client_for: Callable[[User], Client],
) -> None:
    response = client_for(people.editor).post(f"/editorial/planning/slots/{election.pk}/write/")
    assert response.status_code == 302
    post = Post.objects.get()
    assert response["Location"] == f"/editorial/posts/{post.pk}/"
    assert (post.title, post.topic, post.unit, post.status, post.author) == (
        "Briefwahl",
        topic,
        org.social,
        S.DRAFT,
        people.editor,
    )
    assert post.planned_at == berlin(2026, 6, 12, 16, 45)
    assert list(post.variants.values_list("channel", flat=True)) == [org.social_channel.pk]
    election.refresh_from_db()
    assert election.post == post


def test_writing_the_post_of_a_slot_is_audited(
    election: CalendarSlot, people: People, client_for: Callable[[User], Client]
) -> None:
    client_for(people.editor).post(f"/editorial/planning/slots/{election.pk}/write/")
    post = Post.objects.get()
    assert AuditEntry.objects.filter(action="editorial.slot.post_written").exists()
    assert AuditEntry.objects.filter(action="editorial.post.created", target_id=str(post.pk))


def test_a_written_slot_gives_way_to_its_post_in_the_calendar(
    election: CalendarSlot, people: People, client_for: Callable[[User], Client]
) -> None:
    client = client_for(people.editor)
    client.post(f"/editorial/planning/slots/{election.pk}/write/")
    post = Post.objects.get()
    html = client.get("/editorial/planning/?date=2026-06-12").content.decode()
    assert "Slot:</strong> Wahl" not in html
    assert f'href="/editorial/posts/{post.pk}/"' in html


def test_a_slot_post_is_written_only_once(
    election: CalendarSlot, people: People, client_for: Callable[[User], Client]
) -> None:
    client = client_for(people.editor)
    client.post(f"/editorial/planning/slots/{election.pk}/write/")
    again = client.post(f"/editorial/planning/slots/{election.pk}/write/")
    assert again.status_code == 400
    assert Post.objects.count() == 1


def test_the_post_of_a_slot_without_a_time_is_planned_at_nine(org: Org, people: People) -> None:
    untimed = slot_create(actor=people.editor, unit=org.press, title="A", day=date(2026, 6, 12))
    post = slot_write_post(actor=people.editor, slot=untimed)
    assert post.planned_at == berlin(2026, 6, 12, 9, 0)


@pytest.fixture
def doubled(org: Org, people: People) -> CalendarSlot:
    return slot_create(
        actor=people.editor, unit=org.press, title="B", day=date(2026, 10, 25), time=time(2, 30)
    )


def test_writing_the_post_of_a_slot_in_the_doubled_hour_asks_which_one(
    doubled: CalendarSlot, people: People, client_for: Callable[[User], Client]
) -> None:
    client = client_for(people.editor)
    page = client.get(f"/editorial/planning/slots/{doubled.pk}/write/").content.decode()
    assert 'name="occurrence"' in page
    assert client.post(f"/editorial/planning/slots/{doubled.pk}/write/").status_code == 400
    assert not Post.objects.exists()


def test_writing_the_post_of_a_slot_in_the_doubled_hour_takes_the_chosen_one(
    doubled: CalendarSlot, people: People, client_for: Callable[[User], Client]
) -> None:
    response = client_for(people.editor).post(
        f"/editorial/planning/slots/{doubled.pk}/write/", {"occurrence": "second"}
    )
    assert response.status_code == 302
    doubled.refresh_from_db()
    assert doubled.post is not None
    assert doubled.post.planned_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
