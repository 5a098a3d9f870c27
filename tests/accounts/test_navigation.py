# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The main navigation: every role sees exactly its areas (each entry a page it may open, no
dead link), "New post" in the header for those who may write one, and the badges counted in
one query, once per request."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.context_processors import navigation
from accounts.models import User
from accounts.navigation import count_together
from accounts.navigation import nav_actions_for
from accounts.navigation import navigation_for
from accounts.selectors import unread_notifications_for
from editorial.models import Post
from editorial.posts.selectors import approval_queue_for_user
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import PostFactory
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ClientFor = Callable[[User], Client]

EVERYONE = {"dashboard", "editorial", "posts", "media", "post_templates", "channels", "analytics"}
AREAS = {
    "editor": EVERYONE | {"crisis"},
    "approver": EVERYONE | {"approvals", "crisis"},
    "community_manager": EVERYONE | {"moderation"},
    "channel_admin": EVERYONE | {"crisis"},
    "auditor": EVERYONE | {"moderation", "manage"},
    "system_admin": EVERYONE | {"moderation_settings", "crisis", "manage"},
}
# The page of each area, to check that a hidden area is one the role may not open.
AREA_PAGES = {
    "approvals": "/editorial/approvals/",
    "moderation": "/moderation/inbox/",
    "manage": "/manage/users/",
}


@pytest.mark.parametrize("role", sorted(AREAS))
def test_each_role_sees_exactly_its_areas(role: str, people: People) -> None:
    sections = {entry["section"] for entry in navigation_for(getattr(people, role), "/")}
    assert sections == AREAS[role]


@pytest.mark.parametrize("role", sorted(AREAS))
def test_every_entry_opens_and_hidden_areas_are_refused(
    role: str, people: People, client_for: ClientFor
) -> None:
    user = getattr(people, role)
    client = client_for(user)
    entries = navigation_for(user, "/")
    for entry in entries:
        assert client.get(entry["url"]).status_code == 200, entry["url"]
    shown = {entry["section"] for entry in entries}
    for section, page in AREA_PAGES.items():
        if section not in shown:
            assert client.get(page).status_code in (403, 404), page


def test_analytics_only_for_users_with_a_role(db: None) -> None:
    # Auswertung (the goals page for now): every role reads its units' goals.
    sections = {e["section"] for e in navigation_for(UserFactory(roles=[]), "/")}
    assert "analytics" not in sections


def test_the_entry_of_the_current_area_is_marked(people: People) -> None:
    entries = navigation_for(people.editor, "/editorial/media/12/")
    assert [(e["section"], e["current"]) for e in entries if e["current"]] == [("media", "true")]


def test_only_the_new_post_button_is_the_current_page_on_the_post_form(people: People) -> None:
    # The posts entry is the area, the button the page: one aria-current="page" per page.
    entries = navigation_for(people.editor, "/editorial/posts/new/")
    assert [(e["section"], e["current"]) for e in entries if e["current"]] == [("posts", "true")]
    assert [a["current"] for a in nav_actions_for(people.editor, "/editorial/posts/new/")] == [True]


@pytest.mark.parametrize("role", sorted(AREAS))
def test_new_post_is_offered_to_those_who_may_write_one(
    role: str, people: People, client_for: ClientFor
) -> None:
    user = getattr(people, role)
    urls = [action["url"] for action in nav_actions_for(user, "/")]
    if role == "editor":
        assert urls == ["/editorial/posts/new/"]
        assert client_for(user).get(urls[0]).status_code == 200
    else:
        assert urls == []


def test_every_page_shows_the_navigation_and_new_post(
    people: People, client_for: ClientFor
) -> None:
    html = client_for(people.editor).get("/editorial/planning/").content.decode()
    assert '<nav class="main-nav"' in html
    assert 'href="/editorial/planning/" aria-current="page"' in html
    assert 'class="button button--small nav-action" href="/editorial/posts/new/"' in html


def _in_review(org: Org, people: People, **kw: object) -> Post:
    defaults: dict[str, object] = {
        "unit": org.press,
        "author": people.editor,
        "status": Post.Status.IN_REVIEW,
        "channels": [org.press_channel],
    }
    return PostFactory(**{**defaults, **kw})


def _badge(user: User, path: str = "/") -> int:
    request = RequestFactory().get(path)
    request.user = user
    entries = {e["section"]: e for e in navigation(request)["nav_items"]}
    return int(entries["approvals"]["badge"])


def test_the_approvals_badge_counts_what_waits_for_me_in_my_units(org: Org, people: People) -> None:
    _in_review(org, people)
    _in_review(org, people)
    _in_review(org, people, author=people.approver)  # my own: four eyes
    _in_review(org, people, status=Post.Status.DRAFT)
    _in_review(org, people, unit=org.police_press, channels=[org.police_channel])
    assert _badge(people.approver) == 2 == approval_queue_for_user(people.approver).count()


def test_all_badges_are_counted_in_one_query(org: Org, people: People) -> None:
    _in_review(org, people)
    querysets = {
        "approvals": approval_queue_for_user(people.approver),
        "notifications": unread_notifications_for(people.approver),
    }
    with CaptureQueriesContext(connection) as queries:
        counts = count_together(people.approver, querysets)
    assert counts == {"approvals": 1, "notifications": 0}
    assert len(queries) == 1


@pytest.mark.parametrize("waiting", [1, 8])
def test_the_navigation_costs_the_same_whatever_waits(
    waiting: int, org: Org, people: People, django_assert_max_num_queries
) -> None:
    for _ in range(waiting):
        _in_review(org, people)
    approver = User.objects.get(pk=people.approver.pk)  # nothing memoised yet
    request = RequestFactory().get("/")
    request.user = approver
    # Role assignments, the units below them, the channel permission lookup, the channels
    # entry's check (two), and all badges together: whatever the number of posts.
    with django_assert_max_num_queries(7):
        navigation(request)
    with django_assert_max_num_queries(0):
        navigation(request)  # memoised on the request
