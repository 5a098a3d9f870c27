# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The emergency pages (editorial.crisis.views): writing an emergency post from a template and
its designated approval."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from accounts.models import User
from editorial.models import Post
from editorial.models import PostTemplate
from editorial.posts.permissions import four_eyes_message
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.crisis.conftest import S
from tests.editorial.crisis.conftest import de
from tests.editorial.crisis.conftest import make_emergency_post
from tests.editorial.crisis.conftest import start_pause
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

EMERGENCY = "/editorial/crisis/emergency/"


@pytest.fixture(autouse=True)
def _paused(org: Org, people: People) -> None:
    start_pause(org, people)


def test_the_emergency_page_offers_the_emergency_templates(
    people: People, emergency: tuple[PostTemplate, User], client_for: Callable[[User], Client]
) -> None:
    assert "Warnung" in client_for(people.editor).get(EMERGENCY).content.decode()


def test_the_emergency_form_asks_for_every_placeholder(
    people: People, emergency: tuple[PostTemplate, User], client_for: Callable[[User], Client]
) -> None:
    template, _designated = emergency
    form = client_for(people.editor).get(f"{EMERGENCY}?template={template.pk}").content.decode()
    assert 'name="value_ort"' in form and 'name="value_massnahme"' in form


def test_the_emergency_form_refuses_a_missing_value(
    org: Org,
    people: People,
    emergency: tuple[PostTemplate, User],
    client_for: Callable[[User], Client],
) -> None:
    template, _designated = emergency
    response = client_for(people.editor).post(
        EMERGENCY,
        {"template": template.pk, "value_ort": "Markt", "channels": [org.press_channel.pk]},
    )
    assert response.status_code == 400 and not Post.objects.exists()


def test_the_emergency_form_creates_the_post_and_leads_to_its_approval(
    org: Org,
    people: People,
    emergency: tuple[PostTemplate, User],
    client_for: Callable[[User], Client],
) -> None:
    template, _designated = emergency
    response = client_for(people.editor).post(
        EMERGENCY,
        {
            "template": template.pk,
            "value_ort": "Markt",
            "value_massnahme": "Bereich meiden",
            "channels": [org.press_channel.pk, org.social_channel.pk],
        },
    )
    post = Post.objects.get()
    assert response["Location"] == f"/editorial/crisis/emergency/{post.pk}/approve/"
    assert post.is_emergency and post.variants.count() == 2


def test_the_emergency_form_of_another_authoritys_template_answers_404(
    people: People, emergency: tuple[PostTemplate, User], client_for: Callable[[User], Client]
) -> None:
    template, _designated = emergency
    foreign = client_for(people.outsider).get(f"{EMERGENCY}?template={template.pk}")
    assert foreign.status_code == 404


# --- Approval -------------------------------------------------------------------------------


@pytest.fixture
def approve_url(org: Org, people: People, emergency: tuple[PostTemplate, User]) -> str:
    """The approval page of an emergency post "Warnung Markt" waiting for approval."""
    template, _designated = emergency
    post = make_emergency_post(org, people, template, ort="Markt")
    return f"/editorial/crisis/emergency/{post.pk}/approve/"


def test_the_approval_page_of_another_authority_answers_404(
    people: People, approve_url: str, client_for: Callable[[User], Client]
) -> None:
    assert client_for(people.outsider).get(approve_url).status_code == 404


def test_only_a_designated_approver_approves_on_the_page(
    people: People, approve_url: str, client_for: Callable[[User], Client]
) -> None:
    assert client_for(people.approver).post(approve_url).status_code == 403
    assert Post.objects.get().status == S.IN_REVIEW


def test_the_author_is_refused_with_the_four_eyes_rule_explained(
    people: People, approve_url: str, client_for: Callable[[User], Client]
) -> None:
    response = client_for(people.editor).post(approve_url)
    assert response.status_code == 403
    with translation.override("de"):
        assert escape(four_eyes_message()) in response.content.decode()
    assert Post.objects.get().status == S.IN_REVIEW


def test_the_designated_approver_is_offered_to_approve_and_publish_now(
    emergency: tuple[PostTemplate, User], approve_url: str, client_for: Callable[[User], Client]
) -> None:
    _template, designated = emergency
    page = client_for(designated).get(approve_url).content.decode()
    assert de("Approve and publish now") in page


def test_the_crisis_overview_shows_the_designated_approver_what_waits(
    emergency: tuple[PostTemplate, User], approve_url: str, client_for: Callable[[User], Client]
) -> None:
    _template, designated = emergency
    assert "Warnung Markt" in client_for(designated).get("/editorial/crisis/").content.decode()


def test_the_designated_approver_schedules_the_post_on_the_page(
    emergency: tuple[PostTemplate, User], approve_url: str, client_for: Callable[[User], Client]
) -> None:
    _template, designated = emergency
    assert client_for(designated).post(approve_url).status_code == 302
    assert Post.objects.get().status == S.SCHEDULED
