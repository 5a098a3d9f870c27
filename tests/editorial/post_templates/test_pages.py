# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The post template pages and the recurrence page (editorial/post_templates/views.py)."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from editorial.models import Post
from editorial.models import PostTemplate
from editorial.post_templates.permissions import user_may_use_templates
from editorial.post_templates.services import post_template_create
from editorial.post_templates.views import TemplateListView
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.post_templates.conftest import NOW
from tests.editorial.post_templates.conftest import actions
from tests.editorial.post_templates.conftest import add_templates
from tests.editorial.post_templates.conftest import series_of
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

LIST = "/editorial/post-templates/"
TEMPLATE_PAGES = ("edit/", "delete/", "use/")


# --- The list ------------------------------------------------------------------------------


def test_the_list_shows_the_units_templates_only(
    client_for: Any, org: Org, people: People, template: PostTemplate, police_editor: User
) -> None:
    post_template_create(
        actor=police_editor, unit=org.police_press, name="Blitzer", title="B", text="B {ort}"
    )
    page = client_for(people.editor).get(LIST).content.decode()
    assert ">Straßensperrung<" in page and "Blitzer" not in page


def test_the_list_shows_the_placeholders(
    client_for: Any, people: People, template: PostTemplate
) -> None:
    assert "{umleitung}" in client_for(people.editor).get(LIST).content.decode()


def test_another_authority_sees_its_own_templates_only(
    client_for: Any, org: Org, template: PostTemplate, police_editor: User
) -> None:
    police_template = post_template_create(
        actor=police_editor, unit=org.police_press, name="Blitzer", title="B", text="B {ort}"
    )
    assert police_template.pk
    page = client_for(police_editor).get(LIST).content.decode()
    # The template's name as a link text; the page's German intro mentions "Straßensperrungen".
    assert "Blitzer" in page and ">Straßensperrung<" not in page


def test_the_list_uses_a_constant_number_of_queries(
    client_for: Any, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    client = client_for(people.editor)
    add_templates(org, people, 2)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    add_templates(org, people, 20)
    with django_assert_max_num_queries(len(few)):
        assert client.get(LIST).content.decode().count("Vorlage") >= 22


# --- Who may open what ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "police_editor"])
def test_another_authority_gets_404_on_a_templates_pages(
    client_for: Any,
    people: People,
    template: PostTemplate,
    police_editor: User,
    who: str,
) -> None:
    client = client_for(police_editor if who == "police_editor" else people.outsider)
    for suffix in TEMPLATE_PAGES:
        assert client.get(f"{LIST}{template.pk}/{suffix}").status_code == 404
        assert client.post(f"{LIST}{template.pk}/{suffix}").status_code == 404
    assert PostTemplate.objects.filter(pk=template.pk).exists()


def test_an_auditor_sees_the_list(client_for: Any, people: People) -> None:
    assert client_for(people.auditor).get(LIST).status_code == 200


def test_the_list_opens_to_whom_the_navigation_shows_it() -> None:
    """One rule for the page and its menu entry (a copy of it would drift)."""
    assert TemplateListView.permission is user_may_use_templates


def test_a_user_without_a_role_may_not_see_the_list(client_for: Any) -> None:
    assert client_for(UserFactory()).get(LIST).status_code == 403


def test_an_auditor_may_not_create_a_template(client_for: Any, people: People) -> None:
    assert client_for(people.auditor).get(f"{LIST}new/").status_code == 403


def test_an_auditor_may_not_edit_delete_or_use_a_template(
    client_for: Any, people: People, template: PostTemplate
) -> None:
    auditor = client_for(people.auditor)
    for suffix in TEMPLATE_PAGES:
        assert auditor.post(f"{LIST}{template.pk}/{suffix}").status_code == 403
    assert PostTemplate.objects.filter(pk=template.pk).exists()


# --- Creating, editing, deleting -----------------------------------------------------------


def create_through_the_page(client: Any, org: Org) -> Any:
    return client.post(
        f"{LIST}new/",
        {
            "unit": org.press.pk,
            "name": "Sprechzeiten",
            "kind": "office_hours",
            "title": "Sprechzeiten {tag}",
            "text": "Am {tag} ist das Bürgerbüro bis {uhrzeit} geöffnet.",
            "channels": [org.press_channel.pk, org.social_channel.pk],
        },
    )


def edit_through_the_page(client: Any, org: Org, template: PostTemplate) -> Any:
    return client.post(
        f"{LIST}{template.pk}/edit/",
        {
            "name": "Sprechzeiten Bürgerbüro",
            "kind": "office_hours",
            "title": "Sprechzeiten {tag}",
            "text": "Am {tag} geöffnet bis {uhrzeit}.",
            "channels": [org.press_channel.pk],
        },
    )


def test_the_new_template_page_explains_placeholders_without_the_emergency_mark(
    client_for: Any, people: People
) -> None:
    page = client_for(people.editor).get(f"{LIST}new/").content.decode()
    assert "{ort}" in page and 'name="is_emergency"' not in page


def test_creating_a_template_through_the_page(client_for: Any, org: Org, people: People) -> None:
    response = create_through_the_page(client_for(people.editor), org)
    template = PostTemplate.objects.get(name="Sprechzeiten")
    assert response.status_code == 302
    assert set(template.channels.all()) == {org.press_channel, org.social_channel}


def test_editing_a_template_through_the_page(client_for: Any, org: Org, people: People) -> None:
    client = client_for(people.editor)
    create_through_the_page(client, org)
    template = PostTemplate.objects.get(name="Sprechzeiten")
    response = edit_through_the_page(client, org, template)
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.name == "Sprechzeiten Bürgerbüro"
    assert list(template.channels.all()) == [org.press_channel]


def test_deleting_a_template_through_the_page(
    client_for: Any, people: People, template: PostTemplate
) -> None:
    assert client_for(people.editor).post(f"{LIST}{template.pk}/delete/").status_code == 302
    assert not PostTemplate.objects.filter(pk=template.pk).exists()


def test_creating_editing_and_deleting_through_the_pages_is_audited(
    client_for: Any, org: Org, people: People
) -> None:
    client = client_for(people.editor)
    create_through_the_page(client, org)
    template = PostTemplate.objects.get(name="Sprechzeiten")
    edit_through_the_page(client, org, template)
    client.post(f"{LIST}{template.pk}/delete/")
    assert actions(template) == [
        "editorial.template.created",
        "editorial.template.updated",
        "editorial.template.deleted",
    ]


def test_a_channel_admin_sees_only_the_emergency_mark(
    client_for: Any, people: People, template: PostTemplate
) -> None:
    page = client_for(people.channel_admin).get(f"{LIST}{template.pk}/edit/").content.decode()
    assert 'name="is_emergency"' in page and 'name="text"' not in page


def test_a_channel_admin_sets_the_emergency_mark_through_the_page(
    client_for: Any, people: People, template: PostTemplate
) -> None:
    response = client_for(people.channel_admin).post(
        f"{LIST}{template.pk}/edit/", {"is_emergency": "on"}
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.is_emergency


# --- Using a template ----------------------------------------------------------------------


def use_form(org: Org, *, value_3: str = "Ring", planned_time: str = "10:00") -> dict[str, Any]:
    return {
        "value_0": "Marktplatz",  # title placeholders first: {ort}
        "value_1": "29. März",
        "value_2": "10 Uhr",
        "value_3": value_3,
        "unit": org.press.pk,
        "planned_date": "2026-03-29",
        "planned_time": planned_time,
    }


def test_the_use_page_asks_for_every_placeholder(
    client_for: Any, people: People, template: PostTemplate
) -> None:
    page = client_for(people.editor).get(f"{LIST}{template.pk}/use/").content.decode()
    for name in ("{ort}", "{datum}", "{uhrzeit}", "{umleitung}"):
        assert name in page


def test_the_use_page_creates_the_draft_and_redirects_to_the_post(
    client_for: Any, org: Org, people: People, template: PostTemplate
) -> None:
    response = client_for(people.editor).post(f"{LIST}{template.pk}/use/", use_form(org))
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/editorial/posts/{post.pk}/"
    assert post.title == "Sperrung Marktplatz"


def test_the_use_page_reads_berlin_wall_clock_time(
    client_for: Any, org: Org, people: People, template: PostTemplate
) -> None:
    client_for(people.editor).post(f"{LIST}{template.pk}/use/", use_form(org))
    post = Post.objects.get()
    assert post.planned_at == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)  # already summer time


def test_the_use_page_reports_missing_values_and_impossible_times(
    client_for: Any, org: Org, people: People, template: PostTemplate
) -> None:
    response = client_for(people.editor).post(
        f"{LIST}{template.pk}/use/", use_form(org, value_3="", planned_time="02:30")
    )
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert set(errors) == {"value_3", "planned_time"}
    assert "02:30" in errors["planned_time"][0]
    assert not Post.objects.exists()


# --- The recurrence page -------------------------------------------------------------------


@pytest.fixture
def recurrence_url(origin: Post) -> Any:
    with time_machine.travel(NOW, tick=False):
        yield f"{LIST}recurrence/{origin.pk}/"


@pytest.fixture
def series_made_through_the_page(client_for: Any, people: People, recurrence_url: str) -> Any:
    """The editor's page response after making the origin recur every second week."""
    return client_for(people.editor).post(
        recurrence_url, {"action": "make", "frequency": "weekly", "interval": 2}
    )


def test_the_recurrence_page_is_not_found_for_another_authority(
    client_for: Any, people: People, recurrence_url: str
) -> None:
    assert client_for(people.outsider).get(recurrence_url).status_code == 404


def test_an_auditor_sees_the_recurrence_page(
    client_for: Any, people: People, recurrence_url: str
) -> None:
    assert client_for(people.auditor).get(recurrence_url).status_code == 200


def test_an_auditor_may_not_make_a_series(
    client_for: Any, people: People, origin: Post, recurrence_url: str
) -> None:
    response = client_for(people.auditor).post(
        recurrence_url, {"action": "make", "frequency": "weekly"}
    )
    assert response.status_code == 403
    assert series_of(origin) == []


def test_the_recurrence_page_offers_a_frequency(
    client_for: Any, people: People, recurrence_url: str
) -> None:
    assert 'name="frequency"' in client_for(people.editor).get(recurrence_url).content.decode()


def test_making_a_series_through_the_page(
    client_for: Any,
    people: People,
    origin: Post,
    recurrence_url: str,
    series_made_through_the_page: Any,
) -> None:
    assert series_made_through_the_page.status_code == 302
    # Every second week from 5 March within eight weeks of 2 March: 19.3., 2.4., 16.4.
    assert [p.planned_at.day for p in series_of(origin)] == [19, 2, 16]


def test_the_recurrence_page_describes_the_series(
    client_for: Any, people: People, recurrence_url: str, series_made_through_the_page: Any
) -> None:
    page = client_for(people.editor).get(recurrence_url).content.decode()
    assert "every 2 weeks" in page or "alle 2 Wochen" in page


def test_an_auditor_may_not_stop_a_series(
    client_for: Any,
    people: People,
    origin: Post,
    recurrence_url: str,
    series_made_through_the_page: Any,
) -> None:
    assert client_for(people.auditor).post(recurrence_url, {"action": "stop"}).status_code == 403
    assert Post.Status.WITHDRAWN not in {p.status for p in series_of(origin)}


def test_stopping_a_series_through_the_page(
    client_for: Any,
    people: People,
    origin: Post,
    recurrence_url: str,
    series_made_through_the_page: Any,
) -> None:
    assert client_for(people.editor).post(recurrence_url, {"action": "stop"}).status_code == 302
    assert {p.status for p in series_of(origin)} == {Post.Status.WITHDRAWN}
