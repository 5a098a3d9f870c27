# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The crisis banner (editorial.crisis.context_processors.crisis and _banner.html): active
pauses for the affected, the pause button for those who may pause."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client
from django.test import RequestFactory

from accounts.models import User
from accounts.practice.services import practice_mode_set
from editorial.crisis.context_processors import crisis
from editorial.crisis.services import pause_start
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.crisis.conftest import REASON
from tests.editorial.crisis.conftest import start_pause
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

BANNER = "editorial/crisis/_banner.html"


def _request(user: User):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/editorial/posts/?page=2")
    request.user = user
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    return request


@pytest.fixture
def two_pauses(org: Org, people: People) -> None:
    """The Presseamt and the police are paused."""
    start_pause(org, people)
    pause_start(actor=people.outsider, reason="Polizeilage", unit=org.police)


@pytest.mark.parametrize("who", ["editor", "auditor"])  # below and above the paused unit
def test_the_banner_alerts_the_affected_to_their_pause_only(
    people: People, two_pauses: None, who: str
) -> None:
    request = _request(User.objects.get(pk=getattr(people, who).pk))
    html = render_to_string(BANNER, crisis(request), request=request)
    assert 'role="alert"' in html
    assert REASON in html and "Polizeilage" not in html


def test_the_banner_links_the_pause_for_who_may_use_crisis_mode(
    people: People, two_pauses: None
) -> None:
    request = _request(User.objects.get(pk=people.editor.pk))
    html = render_to_string(BANNER, crisis(request), request=request)
    assert "/editorial/crisis/" in html


def test_the_banner_links_no_crisis_page_the_reader_may_not_open(
    people: People, two_pauses: None
) -> None:
    """An auditor learns of the pause but gets no link to the crisis pages (403 for them)."""
    request = _request(User.objects.get(pk=people.auditor.pk))
    html = render_to_string(BANNER, crisis(request), request=request)
    assert REASON in html and "/editorial/crisis/" not in html


@pytest.mark.parametrize("who", ["editor", "auditor"])
def test_the_banner_costs_at_most_two_queries(
    people: People, two_pauses: None, django_assert_max_num_queries: Callable, who: str
) -> None:
    request = _request(User.objects.get(pk=getattr(people, who).pk))
    with django_assert_max_num_queries(2):
        crisis(request)


def test_another_authority_sees_only_its_own_pause(people: People, two_pauses: None) -> None:
    outsider = crisis(_request(people.outsider))
    assert [p.reason for p in outsider["active_pauses"]] == ["Polizeilage"]


def test_a_user_without_roles_sees_no_pause_and_no_button(two_pauses: None) -> None:
    assert crisis(_request(UserFactory())) == {
        "active_pauses": [],
        "may_pause": False,
        "may_use_crisis_mode": False,
    }


def test_the_banner_offers_the_pause_button_to_an_approver(people: People) -> None:
    request = _request(User.objects.get(pk=people.approver.pk))
    context = crisis(request)
    assert context == {"active_pauses": [], "may_pause": True, "may_use_crisis_mode": True}
    html = render_to_string(BANNER, context, request=request)
    assert "/editorial/crisis/new/?next=/editorial/posts/%3Fpage%3D2" in html
    assert 'role="alert"' not in html


def test_the_banner_offers_no_pause_button_to_an_editor(people: People) -> None:
    editor = crisis(_request(User.objects.get(pk=people.editor.pk)))
    assert editor["may_pause"] is False
    assert "Pause publishing" not in render_to_string(BANNER, editor)


def test_anonymous_users_cost_no_query(django_assert_num_queries: Callable) -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert crisis(request) == {
            "active_pauses": [],
            "may_pause": False,
            "may_use_crisis_mode": False,
        }


_BANNER_IN_BASE = BANNER in (Path(settings.BASE_DIR) / "templates" / "base.html").read_text(
    encoding="utf-8"
)


@pytest.mark.skipif(not _BANNER_IN_BASE, reason="base.html does not include the banner yet")
def test_the_banner_is_on_every_page_of_the_affected(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    start_pause(org, people)
    assert "Amoklage" in client_for(people.editor).get("/").content.decode()


@pytest.mark.skipif(not _BANNER_IN_BASE, reason="base.html does not include the banner yet")
def test_the_banner_is_not_on_the_pages_of_another_authority(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    start_pause(org, people)
    assert "Amoklage" not in client_for(people.outsider).get("/").content.decode()


def test_no_pause_button_in_practice_mode(org: Org, people: People) -> None:
    """In practice everybody holds the approver's role in their practice space; the
    one-click crisis action is not offered there (it is practised in the crisis drill)."""
    editor = User.objects.get(pk=people.editor.pk)
    practice_mode_set(user=editor, active=True)
    context = crisis(_request(User.objects.get(pk=editor.pk)))
    assert context["may_pause"] is False
    assert crisis(_request(User.objects.get(pk=people.approver.pk)))["may_pause"] is True
