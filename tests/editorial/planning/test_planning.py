"""The Redaktionsplan: month, week and list views, filters, holidays, moving posts (with the
DST edge cases), topic slots, the iCal feed, the CSV export and the API."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import AuditEntry, OrgUnit, Role, User
from accounts.services import user_deactivate
from channels_app.models import Channel
from editorial.common.timeutil import BERLIN
from editorial.models import (
    Approval,
    CalendarFeedToken,
    CalendarSlot,
    Post,
    Topic,
)
from editorial.planning.holidays import (
    easter_sunday,
    federal_state_for_unit,
    holidays_for_states,
    public_holidays,
)
from editorial.planning.ical import escape_text, fold_line
from editorial.planning.selectors import (
    CHANNEL_PALETTE,
    CalendarFilters,
    calendar_entries,
    channel_colour,
    feed_token_digest,
)
from editorial.planning.services import feed_token_create, slot_create, slot_write_post
from editorial.posts.services import post_approve, post_create, post_submit
from tests.conftest import Org, People
from tests.factories import ChannelFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

S = Post.Status
NOW = datetime(2026, 6, 10, 10, 0, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def _frozen_time() -> Iterator[None]:
    # A fixed "today" keeps month boundaries and "not into the past" deterministic.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _english(people: People) -> Iterator[None]:
    # Pages answer in the user's language: assertions read the English source strings.
    User.objects.update(language="en")
    with translation.override("en"):
        yield


# --- Helpers --------------------------------------------------------------------------------


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def make_post(
    org: Org,
    people: People,
    *,
    title: str = "Stadtfest",
    planned_at: datetime | None = None,
    channels: list[Channel] | None = None,
    topic: Topic | None = None,
    unit: OrgUnit | None = None,
    author: User | None = None,
) -> Post:
    return post_create(
        actor=author or people.editor,
        unit=unit or org.press,
        title=title,
        text="Das Stadtfest beginnt um 18 Uhr.",
        planned_at=planned_at or berlin(2026, 6, 15, 9, 30),
        channels=channels if channels is not None else [org.press_channel],
        topic=topic,
    )


def approved_post(org: Org, people: People, **kwargs: object) -> Post:
    post = make_post(org, people, **kwargs)  # type: ignore[arg-type]
    post_submit(actor=people.editor, post=post)
    return post_approve(actor=people.approver, post=post)


def login(client_for: Callable[[User], Client], user: User) -> Client:
    return client_for(user)


def many_posts(org: Org, people: People, count: int, topic: Topic) -> None:
    channel_sets = [[org.press_channel], [org.social_channel], [org.press_channel]]
    for i in range(count):
        channels = channel_sets[i % 3]
        if i % 4 == 0 and org.social_channel not in channels:
            channels = [*channels, org.social_channel]
        make_post(
            org,
            people,
            title=f"Meldung {i}",
            # Spread over the month: even the first five reach every week.
            planned_at=berlin(2026, 6, 1 + (i * 6) % 28, 8 + i % 10, 15),
            channels=channels,
            topic=topic if i % 2 else None,
        )
    for i in range(max(1, count // 5)):
        slot_create(
            actor=people.editor,
            unit=org.press,
            title=f"Themenplatz {i}",
            day=date(2026, 6, 1 + i % 28),
            time=time(14, 0) if i % 2 else None,
            topic=topic,
            channels=[org.press_channel, org.social_channel],
        )


# --- Holidays -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5))],
)
def test_easter(year: int, expected: date) -> None:
    assert easter_sunday(year) == expected


def test_holidays_differ_by_state() -> None:
    nw, be, sn = (public_holidays(s, 2026) for s in ("NW", "BE", "SN"))
    assert nw[date(2026, 6, 4)] == "Fronleichnam"
    assert date(2026, 6, 4) not in be
    assert be[date(2026, 3, 8)] == "Internationaler Frauentag"
    assert sn[date(2026, 11, 18)] == "Buß- und Bettag"
    assert not any(
        name == "Buß- und Bettag"
        for s in ("NW", "BE", "BY", "TH")
        for name in public_holidays(s, 2026).values()
    )
    assert nw[date(2026, 11, 1)] == "Allerheiligen"
    assert date(2026, 10, 31) not in nw
    assert sn[date(2026, 10, 31)] == "Reformationstag"
    assert len(be) == 10
    assert len(public_holidays("BY", 2026)) == 13
    # Easter-based: Good Friday, Ascension, Whit Monday.
    assert {nw[date(2026, 4, 3)], nw[date(2026, 5, 14)], nw[date(2026, 5, 25)]} == {
        "Karfreitag",
        "Christi Himmelfahrt",
        "Pfingstmontag",
    }


def test_holidays_that_changed_over_the_years() -> None:
    assert date(2017, 10, 31) in public_holidays("NW", 2017)  # 500 years of the Reformation
    assert date(2018, 10, 31) not in public_holidays("NW", 2018)
    assert date(2018, 10, 31) in public_holidays("HH", 2018)
    assert date(2022, 3, 8) not in public_holidays("MV", 2022)
    assert date(2023, 3, 8) in public_holidays("MV", 2023)
    assert public_holidays("TH", 2026)[date(2026, 9, 20)] == "Weltkindertag"


def test_holidays_of_several_states_name_the_states() -> None:
    holidays = holidays_for_states(["NW", "BE"], date(2026, 6, 1), date(2026, 6, 30))
    assert holidays == {date(2026, 6, 4): ["Fronleichnam (NW)"]}
    holidays = holidays_for_states(["NW", "BE"], date(2026, 12, 25), date(2026, 12, 26))
    assert holidays == {date(2026, 12, 25): ["1. Weihnachtsfeiertag"]}


def test_federal_state_is_inherited(org: Org) -> None:
    assert federal_state_for_unit(org.social) == "NW"
    assert federal_state_for_unit(org.police_press) == ""


def test_month_view_shows_the_holidays_of_the_units_state(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    page = client_for(people.editor).get("/editorial/planning/?view=month&date=2026-06-01")
    assert page.status_code == 200
    assert "Fronleichnam" in page.content.decode()

    berlin_office = UnitFactory(name="Senatskanzlei", federal_state="BE")
    berliner = UserFactory(language="en", roles=[(berlin_office, Role.EDITOR)])
    page = client_for(berliner).get("/editorial/planning/?view=month&date=2026-06-01")
    assert "Fronleichnam" not in page.content.decode()
    page = client_for(berliner).get("/editorial/planning/?view=list&date=2026-03-01")
    assert "Internationaler Frauentag" in page.content.decode()


# --- Views and constant queries -------------------------------------------------------------


def test_calendar_needs_login_and_a_role(org: Org, client_for: Callable[[User], Client]) -> None:
    assert Client().get("/editorial/planning/").status_code == 302
    nobody = UserFactory()
    assert client_for(nobody).get("/editorial/planning/").status_code == 403


def test_month_view_is_an_accessible_grid(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    post = make_post(org, people, title="Sommerfest", channels=[org.press_channel])
    slot_create(
        actor=people.editor,
        unit=org.press,
        title="Hitzewarnung",
        day=date(2026, 6, 20),
        topic=Topic.objects.create(unit=org.city, name="Sommer"),
    )
    html = client_for(people.editor).get("/editorial/planning/").content.decode()
    assert "<caption>June 2026" in html
    assert html.count('<th scope="col">') == 7
    assert 'aria-current="date"' in html  # today, 10 June
    assert f'href="/editorial/posts/{post.pk}/"' in html
    assert f"/editorial/planning/posts/{post.pk}/move/" in html
    assert "Slot:</strong> Sommer \u2013 Hitzewarnung" in html
    assert "Stadt Mastodon" in html  # the channel's name, not only its colour
    assert f"cal-colour-{org.press_channel.pk % len(CHANNEL_PALETTE)}" in html
    assert 'id="legend-heading"' in html
    assert "js/calendar.js" in html
    assert 'rel="prev"' in html


def test_week_and_list_views(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    post = make_post(org, people, title="Frühschicht", planned_at=berlin(2026, 6, 11, 5, 45))
    client = client_for(people.editor)
    week = client.get("/editorial/planning/?view=week&date=2026-06-10").content.decode()
    assert "Week 24: 08.06.2026 to 14.06.2026" in week
    assert '<th scope="row">05:00</th>' in week  # widened for the early post
    assert "Frühschicht" in week
    listing = client.get("/editorial/planning/?view=list&date=2026-06-10").content.decode()
    assert f'<a href="/editorial/posts/{post.pk}/">Frühschicht</a>' in listing
    assert "05:45" in listing
    previous = client.get("/editorial/planning/?view=week&date=2026-06-01").content.decode()
    assert "Frühschicht" not in previous


def test_outsiders_see_nothing_of_the_city(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    make_post(org, people, title="Geheimer Entwurf")
    html = client_for(people.outsider).get("/editorial/planning/?date=2026-06-01").content
    assert "Geheimer Entwurf" not in html.decode()


@pytest.mark.parametrize("view", ["month", "week", "list"])
def test_views_use_a_constant_number_of_queries(
    org: Org,
    people: People,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Callable,
    view: str,
) -> None:
    topic = Topic.objects.create(unit=org.press, name="Stadtfest")
    client = client_for(people.editor)
    url = f"/editorial/planning/?view={view}&date=2026-06-10"
    many_posts(org, people, 5, topic)
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    assert page.status_code == 200
    many_posts(org, people, 35, topic)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200
    if view != "week":
        assert page.content.decode().count("Meldung ") >= 35


def test_api_uses_a_constant_number_of_queries(
    org: Org,
    people: People,
    api_client_for: Callable,
    django_assert_max_num_queries: Callable,
) -> None:
    topic = Topic.objects.create(unit=org.press, name="Stadtfest")
    client = api_client_for(people.editor)
    url = "/api/v1/calendar/?start=2026-06-01&end=2026-06-30"
    many_posts(org, people, 5, topic)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert len(response.json()["entries"]) == 6
    many_posts(org, people, 35, topic)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.json()["entries"]) == 5 + 1 + 35 + 7


# --- Filters --------------------------------------------------------------------------------


def test_filters(org: Org, people: People, client_for: Callable[[User], Client]) -> None:
    topic = Topic.objects.create(unit=org.press, name="Baustellen")
    other_editor = UserFactory(language="en", roles=[(org.social, Role.EDITOR)])
    on_press = make_post(org, people, title="Presse", channels=[org.press_channel], topic=topic)
    on_social = make_post(
        org, people, title="Social", channels=[org.social_channel], unit=org.social
    )
    by_other = make_post(
        org,
        people,
        title="Andere",
        channels=[org.social_channel],
        unit=org.social,
        author=other_editor,
    )
    approved = approved_post(org, people, title="Freigegeben")
    slot = slot_create(actor=people.editor, unit=org.press, title="Platz", day=date(2026, 6, 3))
    start, end = date(2026, 6, 1), date(2026, 7, 1)

    def titles(**filters: object) -> set[str]:
        entries = calendar_entries(people.editor, start, end, CalendarFilters(**filters))  # type: ignore[arg-type]
        return {e.title for e in entries}

    assert titles() == {"Presse", "Social", "Andere", "Freigegeben", "Platz"}
    assert titles(channel=org.social_channel) == {on_social.title, by_other.title}
    assert titles(topic=topic) == {on_press.title}
    assert titles(status=S.SCHEDULED) == {approved.title}
    assert titles(status="slot") == {slot.title}
    assert titles(author=other_editor) == {by_other.title}
    assert titles(unit=org.social) == {on_social.title, by_other.title}
    assert titles(unit=org.press) == {"Presse", "Social", "Andere", "Freigegeben", "Platz"}

    client = client_for(people.editor)
    page = client.get(
        f"/editorial/planning/?view=list&date=2026-06-01&channel={org.social_channel.pk}"
    ).content.decode()
    assert "Social" in page
    assert ">Presse<" not in page
    # A filter value outside the user's scope is not applied (and reported).
    page = client.get(
        f"/editorial/planning/?view=list&date=2026-06-01&channel={org.police_channel.pk}"
    )
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()


# --- Moving posts ---------------------------------------------------------------------------


def test_move_keeps_the_approval_and_is_audited(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    post = approved_post(org, people)
    assert post.status == S.SCHEDULED
    client = client_for(people.editor)
    form = client.get(f"/editorial/planning/posts/{post.pk}/move/")
    assert form.status_code == 200
    assert 'value="2026-06-15"' in form.content.decode()
    response = client.post(
        f"/editorial/planning/posts/{post.pk}/move/",
        {"date": "2026-06-18", "time": "11:15", "next": "/editorial/planning/?view=week"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/editorial/planning/?view=week"
    post.refresh_from_db()
    assert post.planned_at == berlin(2026, 6, 18, 11, 15)
    assert post.status == S.SCHEDULED
    assert Approval.objects.filter(post=post, is_current=True).count() == 1
    assert set(post.variants.values_list("scheduled_at", flat=True)) == {post.planned_at}
    entry = AuditEntry.objects.filter(action="editorial.post.rescheduled").latest("sequence")
    assert entry.actor == people.editor
    assert entry.target_id == str(post.pk)
    assert entry.data["kept_approval"] is True
    assert datetime.fromisoformat(entry.data["after"]["planned_at"]) == post.planned_at


def test_an_approver_may_move_too(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    post = approved_post(org, people)
    response = client_for(people.approver).post(
        f"/editorial/planning/posts/{post.pk}/move/", {"date": "2026-06-19", "time": "08:00"}
    )
    assert response.status_code == 302


def test_move_refused_for_other_units_and_without_rights(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    post = approved_post(org, people)
    url = f"/editorial/planning/posts/{post.pk}/move/"
    data = {"date": "2026-06-18", "time": "11:15"}
    police_editor = UserFactory(language="en", roles=[(org.police, Role.EDITOR)])
    for outsider in (people.outsider, police_editor):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(url, data).status_code == 404
    # The community manager sees the post but may neither edit nor approve it.
    assert client_for(people.community_manager).get(url).status_code == 403
    assert client_for(people.community_manager).post(url, data).status_code == 403
    post.refresh_from_db()
    assert post.planned_at == berlin(2026, 6, 15, 9, 30)
    assert not AuditEntry.objects.filter(action="editorial.post.rescheduled").exists()
    # No "Move" link for those who cannot move.
    html = client_for(people.community_manager).get("/editorial/planning/").content.decode()
    assert post.title in html
    assert url not in html


def test_move_an_approved_post_into_the_past_is_refused(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    post = approved_post(org, people)
    response = client_for(people.editor).post(
        f"/editorial/planning/posts/{post.pk}/move/", {"date": "2026-06-01", "time": "09:00"}
    )
    assert response.status_code == 400
    assert "cannot be moved into the past" in response.content.decode()


def test_move_by_drag_and_drop_answers_json(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    post = make_post(org, people)
    client = client_for(people.editor)
    url = f"/editorial/planning/posts/{post.pk}/move/"
    ok = client.post(url, {"date": "2026-06-16", "time": "09:30"}, HTTP_ACCEPT="application/json")
    assert ok.status_code == 200
    assert ok.json()["ok"] is True
    bad = client.post(url, {"date": "2027-03-28", "time": "02:30"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400
    assert "does not exist" in bad.json()["errors"][0]


def test_move_into_the_missing_spring_hour_is_explained(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    post = make_post(org, people)
    response = client_for(people.editor).post(
        f"/editorial/planning/posts/{post.pk}/move/", {"date": "2027-03-28", "time": "02:30"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "02:30 does not exist on 28.03.2027" in html
    assert "clocks go forward" in html
    post.refresh_from_db()
    assert post.planned_at == berlin(2026, 6, 15, 9, 30)


@pytest.mark.parametrize(
    ("choice", "expected_utc"),
    [
        ("first", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        ("second", datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
    ],
)
def test_move_into_the_doubled_autumn_hour_needs_a_choice(
    org: Org,
    people: People,
    client_for: Callable[[User], Client],
    choice: str,
    expected_utc: datetime,
) -> None:
    post = approved_post(org, people)
    client = client_for(people.editor)
    url = f"/editorial/planning/posts/{post.pk}/move/"
    asked = client.post(url, {"date": "2026-10-25", "time": "02:30"})
    assert asked.status_code == 400
    html = asked.content.decode()
    assert "happens twice on 25.10.2026" in html
    assert 'name="occurrence"' in html
    assert "summer time (CEST, UTC+2)" in html
    post.refresh_from_db()
    assert post.planned_at == berlin(2026, 6, 15, 9, 30)

    done = client.post(url, {"date": "2026-10-25", "time": "02:30", "occurrence": choice})
    assert done.status_code == 302
    post.refresh_from_db()
    assert post.planned_at == expected_utc
    assert post.status == S.SCHEDULED


def test_the_move_form_does_not_ask_on_ordinary_days(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    post = make_post(org, people)
    html = client_for(people.editor).get(f"/editorial/planning/posts/{post.pk}/move/").content
    assert b'name="occurrence"' not in html


# --- Topic slots ----------------------------------------------------------------------------


def test_slot_pages(org: Org, people: People, client_for: Callable[[User], Client]) -> None:
    topic = Topic.objects.create(unit=org.press, name="Wahl")
    client = client_for(people.editor)
    assert client.get("/editorial/planning/slots/new/?date=2026-06-12").status_code == 200
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
    slot = CalendarSlot.objects.get()
    assert (slot.title, slot.topic, slot.time, slot.created_by) == (
        "Briefwahl erklären",
        topic,
        None,
        people.editor,
    )
    assert set(slot.channels.all()) == {org.press_channel, org.social_channel}
    created = AuditEntry.objects.get(action="editorial.slot.created")
    assert created.data["after"]["title"] == "Briefwahl erklären"
    assert created.data["after"]["channels"] == sorted(
        [org.press_channel.pk, org.social_channel.pk]
    )

    assert client.get(f"/editorial/planning/slots/{slot.pk}/").status_code == 200
    response = client.post(
        f"/editorial/planning/slots/{slot.pk}/",
        {"unit": org.press.pk, "title": "Briefwahl", "day": "2026-06-13", "time": "10:00"},
    )
    assert response.status_code == 302
    slot.refresh_from_db()
    assert (slot.title, slot.day, slot.time) == ("Briefwahl", date(2026, 6, 13), time(10, 0))
    assert list(slot.channels.all()) == []
    updated = AuditEntry.objects.get(action="editorial.slot.updated")
    assert updated.data["before"]["title"] == "Briefwahl erklären"
    assert updated.data["after"]["day"] == "2026-06-13"

    assert client.get(f"/editorial/planning/slots/{slot.pk}/delete/").status_code == 200
    assert client.post(f"/editorial/planning/slots/{slot.pk}/delete/").status_code == 302
    assert not CalendarSlot.objects.exists()
    assert AuditEntry.objects.get(action="editorial.slot.deleted").target_id == str(slot.pk)


def test_slot_pages_refuse_others(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    slot = slot_create(actor=people.editor, unit=org.press, title="Platz", day=date(2026, 6, 3))
    approver = client_for(people.approver)
    assert approver.get("/editorial/planning/slots/new/").status_code == 403
    assert approver.post("/editorial/planning/slots/new/", {}).status_code == 403
    for suffix in ("", "delete/", "write/"):
        assert approver.get(f"/editorial/planning/slots/{slot.pk}/{suffix}").status_code == 403
        assert approver.post(f"/editorial/planning/slots/{slot.pk}/{suffix}").status_code == 403
        outsider = client_for(people.outsider)
        assert outsider.get(f"/editorial/planning/slots/{slot.pk}/{suffix}").status_code == 404
        assert outsider.post(f"/editorial/planning/slots/{slot.pk}/{suffix}").status_code == 404
    assert CalendarSlot.objects.filter(pk=slot.pk, post__isnull=True).exists()
    # An editor cannot plan a slot in another authority's unit.
    response = client_for(people.editor).post(
        "/editorial/planning/slots/new/",
        {"unit": org.police.pk, "title": "x", "day": "2026-06-03"},
    )
    assert response.status_code == 400
    assert CalendarSlot.objects.count() == 1


def test_write_the_post_from_a_slot(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    topic = Topic.objects.create(unit=org.press, name="Wahl")
    slot = slot_create(
        actor=people.editor,
        unit=org.social,
        title="Briefwahl",
        day=date(2026, 6, 12),
        time=time(16, 45),
        topic=topic,
        channels=[org.social_channel],
    )
    client = client_for(people.editor)
    html = client.get("/editorial/planning/?date=2026-06-12").content.decode()
    assert "Slot:</strong> Wahl \u2013 Briefwahl" in html
    assert f"/editorial/planning/slots/{slot.pk}/write/" in html
    assert client.get(f"/editorial/planning/slots/{slot.pk}/write/").status_code == 200
    response = client.post(f"/editorial/planning/slots/{slot.pk}/write/")
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
    slot.refresh_from_db()
    assert slot.post == post
    assert AuditEntry.objects.filter(action="editorial.slot.post_written").exists()
    assert AuditEntry.objects.filter(action="editorial.post.created", target_id=str(post.pk))
    # The slot gives way to its post in the calendar.
    html = client.get("/editorial/planning/?date=2026-06-12").content.decode()
    assert "Slot:</strong> Wahl" not in html
    assert f'href="/editorial/posts/{post.pk}/"' in html
    # A second time only leads to the post.
    again = client.post(f"/editorial/planning/slots/{slot.pk}/write/")
    assert again.status_code == 400
    assert Post.objects.count() == 1


def test_write_the_post_without_a_time_and_in_the_doubled_hour(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    untimed = slot_create(actor=people.editor, unit=org.press, title="A", day=date(2026, 6, 12))
    post = slot_write_post(actor=people.editor, slot=untimed)
    assert post.planned_at == berlin(2026, 6, 12, 9, 0)

    doubled = slot_create(
        actor=people.editor, unit=org.press, title="B", day=date(2026, 10, 25), time=time(2, 30)
    )
    client = client_for(people.editor)
    page = client.get(f"/editorial/planning/slots/{doubled.pk}/write/").content.decode()
    assert 'name="occurrence"' in page
    assert client.post(f"/editorial/planning/slots/{doubled.pk}/write/").status_code == 400
    response = client.post(
        f"/editorial/planning/slots/{doubled.pk}/write/", {"occurrence": "second"}
    )
    assert response.status_code == 302
    doubled.refresh_from_db()
    assert doubled.post is not None
    assert doubled.post.planned_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


# --- iCal feed ------------------------------------------------------------------------------


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_escape_and_fold() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "Bürgerbüro öffnet " * 10
    folded = fold_line(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert all(part.startswith(" ") for part in folded.split("\r\n")[1:])
    assert folded.replace("\r\n ", "") == line
    assert fold_line("short") == "short"


def test_feed_url_is_shown_once_and_serves_ical(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    title = "Baustelle Ring, Süd; Umleitung über Nord\\West " + "ä" * 40
    post = approved_post(org, people, title=title, channels=[org.press_channel, org.social_channel])
    police_editor = UserFactory(language="en", roles=[(org.police, Role.EDITOR)])
    police_post = post_create(
        actor=police_editor,
        unit=org.police_press,
        title="Polizeimeldung",
        planned_at=berlin(2026, 6, 16, 9, 0),
        channels=[org.police_channel],
    )
    old = make_post(org, people, title="Zu alt", planned_at=berlin(2026, 4, 1, 9, 0))
    client = client_for(people.editor)
    page = client.get("/editorial/planning/")
    assert "Create a subscription address" in page.content.decode()
    created = client.post("/editorial/planning/feed/new/")
    assert created.status_code == 200
    assert created["Cache-Control"] == "no-store"
    feed_url = re.search(r'value="(http[^"]+\.ics)"', created.content.decode()).group(1)  # type: ignore[union-attr]
    secret = feed_url.rsplit("/", 1)[1].removesuffix(".ics")
    token = CalendarFeedToken.objects.get(user=people.editor)
    assert token.digest == feed_token_digest(secret)
    assert secret not in token.digest
    assert AuditEntry.objects.filter(action="editorial.calendar_feed.created").exists()
    # Shown once: the calendar page no longer contains it.
    assert secret not in client.get("/editorial/planning/").content.decode()

    response = Client().get(f"/editorial/planning/feed/{secret}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content.decode()
    assert raw.endswith("\r\n")
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    lines = unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert any(line.startswith("X-WR-CALNAME:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == 1  # not the police's, not the old one
    assert f"UID:post-{post.pk}@localhost" in lines
    assert "DTSTART:20260615T073000Z" in lines
    assert "DURATION:PT15M" in lines
    assert any(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines)
    summary = next(line for line in lines if line.startswith("SUMMARY:"))
    assert summary == (
        "SUMMARY:Baustelle Ring\\, Süd\\; Umleitung über Nord\\\\West " + "ä" * 40 + " (Scheduled)"
    )
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "Channels: Bürgerservice\\, Stadt Mastodon\\n" in description
    assert f"/editorial/posts/{post.pk}/" in description
    assert f"URL:http://localhost:8000/editorial/posts/{post.pk}/" in lines
    assert police_post.title not in raw
    assert old.title not in raw


def test_feed_revoked_replaced_deactivated_or_unknown_is_404(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    make_post(org, people)
    first = feed_token_create(user=people.editor)
    second = feed_token_create(user=people.editor)  # replaces the first
    anonymous = Client()
    assert anonymous.get(f"/editorial/planning/feed/{first.secret}.ics").status_code == 404
    assert anonymous.get(f"/editorial/planning/feed/{second.secret}.ics").status_code == 200
    assert anonymous.get(f"/editorial/planning/feed/{'x' * 43}.ics").status_code == 404

    client = client_for(people.editor)
    assert client.post("/editorial/planning/feed/revoke/").status_code == 302
    assert anonymous.get(f"/editorial/planning/feed/{second.secret}.ics").status_code == 404
    assert AuditEntry.objects.filter(action="editorial.calendar_feed.revoked").count() == 2

    third = feed_token_create(user=people.editor)
    assert anonymous.get(f"/editorial/planning/feed/{third.secret}.ics").status_code == 200
    user_deactivate(actor=people.system_admin, user=people.editor)
    assert anonymous.get(f"/editorial/planning/feed/{third.secret}.ics").status_code == 404


def test_feed_pages_need_login(org: Org) -> None:
    assert Client().post("/editorial/planning/feed/new/").status_code == 302
    assert not CalendarFeedToken.objects.exists()


# --- CSV ------------------------------------------------------------------------------------


def test_csv_export_of_the_current_view(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    make_post(org, people, title='=HYPERLINK("http://evil.example")')
    make_post(org, people, title="Juli", planned_at=berlin(2026, 7, 2, 9, 0))
    response = client_for(people.editor).get(
        "/editorial/planning/?view=list&date=2026-06-01&format=csv"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["date", "time", "type", "id", "title"]
    assert len(rows) == 2  # July is outside the view
    assert rows[1][0:3] == ["2026-06-15", "09:30", "post"]
    assert rows[1][4] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][6] == "Stadt Mastodon"


# --- API ------------------------------------------------------------------------------------


def test_api_calendar(org: Org, people: People, api_client_for: Callable) -> None:
    post = approved_post(org, people, title="API-Meldung")
    slot_create(
        actor=people.editor,
        unit=org.press,
        title="Themenplatz",
        day=date(2026, 6, 4),
        channels=[org.social_channel],
    )
    client = api_client_for(people.editor)
    data = client.get("/api/v1/calendar/?start=2026-06-01&end=2026-06-30").json()
    assert data["start"] == "2026-06-01"
    assert {"date": "2026-06-04", "name": "Fronleichnam"} in data["holidays"]
    slot_entry, post_entry = data["entries"]
    assert slot_entry["type"] == "slot"
    assert slot_entry["status"] == "slot"
    assert slot_entry["channels"][0]["name"] == "Bürgerservice"
    assert slot_entry["channels"][0]["colour"].startswith("#")
    assert post_entry["id"] == post.pk
    assert post_entry["status"] == "scheduled"
    assert post_entry["date"] == "2026-06-15"
    assert post_entry["time"] == "09:30"
    assert post_entry["url"] == f"/editorial/posts/{post.pk}/"
    assert post_entry["author_name"] == str(people.editor)

    only_slots = client.get("/api/v1/calendar/?start=2026-06-01&end=2026-06-30&status=slot")
    assert [e["type"] for e in only_slots.json()["entries"]] == ["slot"]
    # The outsider sees nothing of the city, and cannot filter by its units.
    outsider = api_client_for(people.outsider)
    assert outsider.get("/api/v1/calendar/?start=2026-06-01&end=2026-06-30").json()["entries"] == []
    bad_unit = outsider.get(
        f"/api/v1/calendar/?start=2026-06-01&end=2026-06-30&unit={org.press.pk}"
    )
    assert bad_unit.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?start=2026-06-01",
        "?start=2026-06-30&end=2026-06-01",
        "?start=2026-01-01&end=2027-06-01",
        "?start=x&end=y",
    ],
)
def test_api_calendar_validates_the_period(
    org: Org, people: People, api_client_for: Callable, query: str
) -> None:
    assert api_client_for(people.editor).get(f"/api/v1/calendar/{query}").status_code == 400


def test_api_needs_authentication(org: Org) -> None:
    assert Client().get("/api/v1/calendar/?start=2026-06-01&end=2026-06-30").status_code in (
        401,
        403,
    )


def test_api_slots(org: Org, people: People, api_client_for: Callable) -> None:
    editor = api_client_for(people.editor)
    created = editor.post(
        "/api/v1/calendar/slots/",
        {
            "unit": org.press.pk,
            "title": "Hitze",
            "day": "2026-07-01",
            "time": "08:00",
            "channels": [org.press_channel.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    slot_id = created.json()["id"]
    assert created.json()["time"] == "08:00"
    assert AuditEntry.objects.filter(action="editorial.slot.created").exists()

    listing = editor.get("/api/v1/calendar/slots/?start=2026-07-01&end=2026-07-31").json()
    assert [s["id"] for s in listing["results"]] == [slot_id]
    assert editor.get("/api/v1/calendar/slots/?start=2026-08-01").json()["results"] == []

    patched = editor.patch(
        f"/api/v1/calendar/slots/{slot_id}/",
        {"title": "Hitzewarnung", "channels": []},
        format="json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["title"] == "Hitzewarnung"
    assert patched.json()["channels"] == []

    approver = api_client_for(people.approver)
    assert approver.get(f"/api/v1/calendar/slots/{slot_id}/").status_code == 200
    assert (
        approver.patch(
            f"/api/v1/calendar/slots/{slot_id}/", {"title": "x"}, format="json"
        ).status_code
        == 403
    )
    assert approver.delete(f"/api/v1/calendar/slots/{slot_id}/").status_code == 403
    assert (
        approver.post(
            "/api/v1/calendar/slots/",
            {"unit": org.press.pk, "title": "x", "day": "2026-07-01"},
            format="json",
        ).status_code
        == 403
    )

    outsider = api_client_for(people.outsider)
    assert outsider.get("/api/v1/calendar/slots/").json()["results"] == []
    assert outsider.get(f"/api/v1/calendar/slots/{slot_id}/").status_code == 404
    assert (
        outsider.patch(
            f"/api/v1/calendar/slots/{slot_id}/", {"title": "x"}, format="json"
        ).status_code
        == 404
    )
    assert outsider.delete(f"/api/v1/calendar/slots/{slot_id}/").status_code == 404
    foreign_unit = editor.post(
        "/api/v1/calendar/slots/",
        {"unit": org.police.pk, "title": "x", "day": "2026-07-01"},
        format="json",
    )
    assert foreign_unit.status_code == 400
    foreign_channel = editor.post(
        "/api/v1/calendar/slots/",
        {
            "unit": org.press.pk,
            "title": "x",
            "day": "2026-07-01",
            "channels": [org.police_channel.pk],
        },
        format="json",
    )
    assert foreign_channel.status_code == 400

    assert editor.delete(f"/api/v1/calendar/slots/{slot_id}/").status_code == 204
    assert not CalendarSlot.objects.exists()
    assert AuditEntry.objects.filter(action="editorial.slot.deleted").exists()


def test_api_is_in_the_openapi_schema(org: Org, people: People, client_for: Callable) -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert {"/api/v1/calendar/", "/api/v1/calendar/slots/", "/api/v1/calendar/slots/{id}/"} <= set(
        schema["paths"]
    )
    assert "CalendarEntry" in schema["components"]["schemas"]


# --- Colours --------------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("colour", CHANNEL_PALETTE)
def test_channel_colours_have_aa_contrast_with_white_text(colour: str) -> None:
    assert (1.05) / (_luminance(colour) + 0.05) >= 4.5


def test_channel_colour_is_stable_and_in_the_stylesheet(org: Org) -> None:
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static/css/app.css").read_text()
    for index, colour in enumerate(CHANNEL_PALETTE):
        assert f".cal-colour-{index} {{ --cal-colour: {colour}; }}" in css
    channel = ChannelFactory(unit=org.press)
    assert channel_colour(channel.pk) == channel_colour(Channel.objects.get(pk=channel.pk).pk)
    assert channel_colour(channel.pk) == CHANNEL_PALETTE[channel.pk % len(CHANNEL_PALETTE)]
