# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The Redaktionsplan pages (editorial.planning.views, grid.py): month, week and list views,
filters and constant queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from editorial.models import Post
from editorial.models import Topic
from editorial.planning.selectors import CHANNEL_PALETTE
from editorial.planning.services import slot_create
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.planning.conftest import berlin
from tests.editorial.planning.conftest import make_post
from tests.editorial.planning.conftest import many_posts
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_the_calendar_needs_a_login(org: Org) -> None:
    assert Client().get("/editorial/planning/").status_code == 302


def test_the_calendar_needs_a_role(org: Org, client_for: Callable[[User], Client]) -> None:
    nobody = UserFactory()
    assert client_for(nobody).get("/editorial/planning/").status_code == 403


def test_outsiders_see_nothing_of_the_city(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    make_post(org, people, title="Geheimer Entwurf")
    html = client_for(people.outsider).get("/editorial/planning/?date=2026-06-01").content
    assert "Geheimer Entwurf" not in html.decode()


# --- Month ----------------------------------------------------------------------------------


def test_the_month_view_is_an_accessible_grid(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    html = client_for(people.editor).get("/editorial/planning/").content.decode()
    assert "<caption>June 2026" in html
    assert html.count('<th scope="col">') == 7
    assert 'aria-current="date"' in html  # today, 10 June


def test_the_month_view_loads_the_calendar_script_and_links_the_previous_month(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    html = client_for(people.editor).get("/editorial/planning/").content.decode()
    assert "js/calendar.js" in html
    assert 'rel="prev"' in html


def test_a_post_in_the_month_view_links_to_the_post_and_to_moving_it(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    post = make_post(org, people, title="Sommerfest", channels=[org.press_channel])
    html = client_for(people.editor).get("/editorial/planning/").content.decode()
    assert f'href="/editorial/posts/{post.pk}/"' in html
    assert f"/editorial/planning/posts/{post.pk}/move/" in html


def test_the_month_view_names_the_channels_besides_their_colours(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    make_post(org, people, title="Sommerfest", channels=[org.press_channel])
    html = client_for(people.editor).get("/editorial/planning/").content.decode()
    assert "Stadt Mastodon" in html  # the channel's name, not only its colour
    assert f"cal-colour-{org.press_channel.pk % len(CHANNEL_PALETTE)}" in html
    assert 'id="legend-heading"' in html


def test_a_topic_slot_in_the_month_view_shows_topic_and_title(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    slot_create(
        actor=people.editor,
        unit=org.press,
        title="Hitzewarnung",
        day=date(2026, 6, 20),
        topic=Topic.objects.create(unit=org.city, name="Sommer"),
    )
    html = client_for(people.editor).get("/editorial/planning/").content.decode()
    assert "Slot:</strong> Sommer \u2013 Hitzewarnung" in html


# --- Week and list --------------------------------------------------------------------------


@pytest.fixture
def early_post(org: Org, people: People) -> Post:
    return make_post(org, people, title="Frühschicht", planned_at=berlin(2026, 6, 11, 5, 45))


def test_the_week_view_widens_its_hours_for_an_early_post(
    early_post: Post, people: People, client_for: Callable[[User], Client]
) -> None:
    week = client_for(people.editor).get("/editorial/planning/?view=week&date=2026-06-10")
    html = week.content.decode()
    assert "Week 24: 8 Jun 2026 to 14 Jun 2026" in html
    assert '<th scope="row">05:00</th>' in html
    assert "Frühschicht" in html


def test_the_week_view_shows_only_the_posts_of_its_week(
    early_post: Post, people: People, client_for: Callable[[User], Client]
) -> None:
    previous = client_for(people.editor).get("/editorial/planning/?view=week&date=2026-06-01")
    assert "Frühschicht" not in previous.content.decode()


def test_the_list_view_links_each_post_with_its_time(
    early_post: Post, people: People, client_for: Callable[[User], Client]
) -> None:
    listing = client_for(people.editor).get("/editorial/planning/?view=list&date=2026-06-10")
    html = listing.content.decode()
    assert f'<a href="/editorial/posts/{early_post.pk}/">Frühschicht</a>' in html
    assert "05:45" in html


# --- Filters --------------------------------------------------------------------------------


def test_the_channel_filter_narrows_the_list_view(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    make_post(org, people, title="Presse", channels=[org.press_channel])
    make_post(org, people, title="Social", channels=[org.social_channel], unit=org.social)
    page = client_for(people.editor).get(
        f"/editorial/planning/?view=list&date=2026-06-01&channel={org.social_channel.pk}"
    )
    html = page.content.decode()
    assert "Social" in html
    assert ">Presse<" not in html


def test_a_filter_value_outside_the_users_scope_is_reported(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    page = client_for(people.editor).get(
        f"/editorial/planning/?view=list&date=2026-06-01&channel={org.police_channel.pk}"
    )
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()


# --- Constant queries -----------------------------------------------------------------------


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
