# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The post template API and the recurrence API (editorial/post_templates/api.py,
serializers.py)."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from rest_framework.response import Response

from accounts.models import User
from editorial.models import Post
from editorial.models import PostTemplate
from editorial.post_templates.api import PostRecurrenceView
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.post_templates.conftest import NOW
from tests.editorial.post_templates.conftest import VALUES
from tests.editorial.post_templates.conftest import add_templates
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

TEMPLATES = "/api/v1/post-templates/"


# --- Templates -----------------------------------------------------------------------------


@pytest.fixture
def payload(org: Org) -> dict[str, Any]:
    return {
        "unit": org.press.pk,
        "name": "Unwetter",
        "kind": "warning",
        "title": "Warnung {gebiet}",
        "text": "Für {gebiet} gilt eine Unwetterwarnung bis {uhrzeit}.",
        "channels": [org.press_channel.pk],
    }


@pytest.fixture
def created(people: People, api_client_for: Any, payload: dict[str, Any]) -> Response:
    return api_client_for(people.editor).post(TEMPLATES, payload, format="json")  # type: ignore[no-any-return]


@pytest.fixture
def pk(created: Response) -> int:
    assert created.status_code == 201, created.json()
    return created.json()["id"]  # type: ignore[no-any-return]


def test_the_api_creates_a_template_and_lists_its_placeholders(org: Org, created: Response) -> None:
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["placeholders"] == ["gebiet", "uhrzeit"]
    assert body["channels"] == [org.press_channel.pk]


def test_the_api_refuses_another_authoritys_channels(
    org: Org, people: People, api_client_for: Any, payload: dict[str, Any]
) -> None:
    bad = api_client_for(people.editor).post(
        TEMPLATES, {**payload, "channels": [org.police_channel.pk]}, format="json"
    )
    assert bad.status_code == 400 and "channels" in bad.json()
    assert not PostTemplate.objects.exists()


def test_an_editor_may_not_create_an_emergency_template(
    people: People, api_client_for: Any, payload: dict[str, Any]
) -> None:
    forbidden = api_client_for(people.editor).post(
        TEMPLATES, {**payload, "is_emergency": True}, format="json"
    )
    assert forbidden.status_code == 403
    assert not PostTemplate.objects.exists()


def test_the_api_reads_a_template(people: People, api_client_for: Any, pk: int) -> None:
    assert api_client_for(people.editor).get(f"{TEMPLATES}{pk}/").json()["name"] == "Unwetter"


def test_the_api_renames_a_template(people: People, api_client_for: Any, pk: int) -> None:
    response = api_client_for(people.editor).patch(
        f"{TEMPLATES}{pk}/", {"name": "Sturm"}, format="json"
    )
    assert response.status_code == 200 and response.json()["name"] == "Sturm"


def test_the_api_deletes_a_template(people: People, api_client_for: Any, pk: int) -> None:
    assert api_client_for(people.editor).delete(f"{TEMPLATES}{pk}/").status_code == 204
    assert not PostTemplate.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("who", ["outsider", "police_editor"])
def test_another_authority_neither_sees_nor_touches_a_template_in_the_api(
    people: People, api_client_for: Any, police_editor: User, pk: int, who: str
) -> None:
    other = api_client_for(police_editor if who == "police_editor" else people.outsider)
    assert other.get(f"{TEMPLATES}{pk}/").status_code == 404
    assert other.patch(f"{TEMPLATES}{pk}/", {"name": "x"}).status_code == 404
    assert other.delete(f"{TEMPLATES}{pk}/").status_code == 404
    assert other.post(f"{TEMPLATES}{pk}/use/", {}).status_code == 404
    assert other.get(TEMPLATES).json()["count"] == 0
    assert PostTemplate.objects.filter(pk=pk, name="Unwetter").exists()


def test_an_auditor_reads_a_template(people: People, api_client_for: Any, pk: int) -> None:
    assert api_client_for(people.auditor).get(f"{TEMPLATES}{pk}/").status_code == 200


def test_an_auditor_may_not_create_change_delete_or_use_a_template(
    people: People, api_client_for: Any, payload: dict[str, Any], pk: int
) -> None:
    auditor = api_client_for(people.auditor)
    assert auditor.patch(f"{TEMPLATES}{pk}/", {"name": "x"}).status_code == 403
    assert auditor.delete(f"{TEMPLATES}{pk}/").status_code == 403
    assert auditor.post(TEMPLATES, payload, format="json").status_code == 403
    assert auditor.post(f"{TEMPLATES}{pk}/use/", {}, format="json").status_code == 403
    assert list(PostTemplate.objects.values_list("pk", "name")) == [(pk, "Unwetter")]
    assert not Post.objects.exists()


def test_the_template_list_uses_a_constant_number_of_queries(
    client_for: Any, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    client = client_for(people.editor)
    add_templates(org, people, 2)
    client.get(TEMPLATES)
    with CaptureQueriesContext(connection) as few_api:
        client.get(TEMPLATES)
    add_templates(org, people, 20)
    with django_assert_max_num_queries(len(few_api)):
        assert client.get(TEMPLATES).json()["count"] == 22


# --- Using a template ----------------------------------------------------------------------


@pytest.fixture
def use(people: Any, api_client_for: Any, template: PostTemplate) -> Any:
    api = api_client_for(people.editor)
    url = f"{TEMPLATES}{template.pk}/use/"
    return lambda data: api.post(url, data, format="json")


def test_api_use_names_the_missing_values(use: Any) -> None:
    missing = use({"values": {"ort": "A"}})
    assert missing.status_code == 400 and "umleitung" in str(missing.json())


def test_api_use_refuses_a_time_in_the_spring_gap(use: Any) -> None:
    gap = use({"values": VALUES, "planned_at": "2026-03-29T02:30"})
    assert gap.status_code == 400 and "planned_at" in gap.json()


def test_api_use_refuses_an_ambiguous_autumn_time(use: Any) -> None:
    twice = use({"values": VALUES, "planned_at": "2026-10-25T02:30"})
    assert twice.status_code == 400
    assert not Post.objects.exists()


@pytest.fixture
def used(use: Any) -> Response:
    response = use({"values": VALUES, "planned_at": "2026-10-25T02:30", "second_occurrence": True})
    assert response.status_code == 201, response.json()
    return response  # type: ignore[no-any-return]


def test_api_use_takes_the_second_of_two_autumn_times_when_asked(used: Response) -> None:
    post = Post.objects.get(pk=used.json()["id"])
    assert post.planned_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_api_use_creates_the_post_with_the_values_and_links_it(used: Response) -> None:
    post = Post.objects.get(pk=used.json()["id"])
    assert used.json()["url"] == f"/editorial/posts/{post.pk}/"
    assert post.text.startswith("Am 3. März")


# --- Recurrence ----------------------------------------------------------------------------


def test_recurrence_endpoint_is_not_shadowed_by_the_post_actions() -> None:
    # ``posts/<int:pk>/<str:action>/`` of the posts API is mounted first and swallows
    # ``posts/<pk>/recurrence/``; it must list its actions or be mounted after this module.
    match = resolve("/api/v1/posts/1/recurrence/")
    assert match.func.view_class is PostRecurrenceView, match.route  # type: ignore[attr-defined]


@pytest.fixture
def recurrence_url(origin: Post) -> Any:
    with time_machine.travel(NOW, tick=False):
        yield f"/api/v1/posts/{origin.pk}/recurrence/"


@pytest.fixture
def made(people: People, api_client_for: Any, recurrence_url: str) -> Response:
    """The editor's answer to making the origin recur weekly, three times."""
    return api_client_for(people.editor).post(  # type: ignore[no-any-return]
        recurrence_url, {"frequency": "weekly", "count": 3}, format="json"
    )


def test_the_recurrence_api_is_not_found_for_another_authority(
    people: People, api_client_for: Any, recurrence_url: str
) -> None:
    response = api_client_for(people.outsider).post(recurrence_url, {"frequency": "weekly"})
    assert response.status_code == 404


def test_an_auditor_may_not_make_a_series_through_the_api(
    people: People, api_client_for: Any, recurrence_url: str
) -> None:
    response = api_client_for(people.auditor).post(recurrence_url, {"frequency": "weekly"})
    assert response.status_code == 403


def test_a_post_without_a_series_has_no_recurrence(
    people: People, api_client_for: Any, recurrence_url: str
) -> None:
    assert api_client_for(people.editor).get(recurrence_url).status_code == 404


def test_the_api_refuses_an_end_before_the_start(
    people: People, api_client_for: Any, recurrence_url: str
) -> None:
    bad = api_client_for(people.editor).post(
        recurrence_url, {"frequency": "weekly", "until": "2026-03-01"}, format="json"
    )
    assert bad.status_code == 400 and "until" in bad.json()


def test_the_api_makes_a_series_starting_with_the_origin(origin: Post, made: Response) -> None:
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["posts"][0]["id"] == origin.pk and len(body["posts"]) == 3


def test_a_post_can_only_be_in_one_series(
    people: People, api_client_for: Any, recurrence_url: str, made: Response
) -> None:
    again = api_client_for(people.editor).post(
        recurrence_url, {"frequency": "weekly"}, format="json"
    )
    assert again.status_code == 400


def test_an_auditor_may_not_stop_a_series_through_the_api(
    people: People, api_client_for: Any, recurrence_url: str, made: Response
) -> None:
    assert api_client_for(people.auditor).delete(recurrence_url).status_code == 403


def test_the_api_stops_a_series_and_names_the_withdrawn_posts(
    people: People, api_client_for: Any, recurrence_url: str, made: Response
) -> None:
    response = api_client_for(people.editor).delete(recurrence_url)
    assert response.status_code == 200
    assert response.json()["stopped_at"] and len(response.json()["withdrawn"]) == 2


# --- Schema --------------------------------------------------------------------------------


def test_openapi_schema_lists_the_endpoints() -> None:
    out = StringIO()
    call_command("spectacular", "--validate", stdout=out, stderr=StringIO())
    schema = out.getvalue()
    for endpoint in (
        "/api/v1/post-templates/:",
        "/api/v1/post-templates/{id}/:",
        "/api/v1/post-templates/{id}/use/:",
        "/api/v1/posts/{id}/recurrence/:",
    ):
        assert endpoint in schema
