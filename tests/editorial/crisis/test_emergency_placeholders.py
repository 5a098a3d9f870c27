# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Emergency posts use the one placeholder grammar of post templates: a placeholder the
grammar knows always gets an input, and an emergency post never leaves with one unfilled.

Failing first: before the grammar was shared, crisis mode knew only ASCII names and no
escapes, so ``{Straße}`` got no input and went out as typed, and ``{{ort}}`` came out as
``{Markt}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import Role
from accounts.models import User
from editorial.models import EditorialPolicy
from editorial.models import Post
from editorial.models import PostTemplate
from tests.conftest import Org
from tests.conftest import People
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

EMERGENCY_PAGE = "/editorial/crisis/emergency/"


@pytest.fixture
def template(org: Org, people: People) -> PostTemplate:
    designated = UserFactory(email="krisenstab@stadt.example", roles=[(org.press, Role.APPROVER)])
    EditorialPolicy.objects.create(unit=org.press).emergency_approvers.add(designated)
    template = PostTemplate.objects.create(
        unit=org.press,
        name="Sperrung",
        kind=PostTemplate.Kind.WARNING,
        title="Sperrung {Straße}",
        text="Die {Straße} ist gesperrt. Treffpunkt: {{ort}} am {ort}.",
        is_emergency=True,
    )
    template.channels.set([org.press_channel])
    return template


def _create(
    api_client_for: Callable[[User], Any],
    people: People,
    org: Org,
    template: PostTemplate,
    values: dict[str, str],
) -> Any:
    return api_client_for(people.editor).post(
        "/api/v1/emergency-posts/",
        {"template": template.pk, "values": values, "channels": [org.press_channel.pk]},
        format="json",
    )


def test_the_emergency_form_has_an_input_for_a_placeholder_with_an_umlaut(
    client_for: Callable[[User], Any], people: People, template: PostTemplate
) -> None:
    page = client_for(people.editor).get(EMERGENCY_PAGE, {"template": template.pk}, follow=True)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="value_Straße"' in body and 'name="value_ort"' in body


def test_an_emergency_post_without_the_umlaut_placeholder_value_is_refused(
    api_client_for: Callable[[User], Any], people: People, org: Org, template: PostTemplate
) -> None:
    response = _create(api_client_for, people, org, template, {"ort": "Markt"})
    assert response.status_code == 400
    assert "{Straße}" in str(response.json()["values"])
    assert not Post.objects.filter(is_emergency=True).exists()


def test_an_emergency_post_fills_every_placeholder_and_keeps_escaped_braces(
    api_client_for: Callable[[User], Any], people: People, org: Org, template: PostTemplate
) -> None:
    response = _create(
        api_client_for, people, org, template, {"ort": "Markt", "Straße": "Hauptstraße"}
    )
    assert response.status_code == 201, response.json()
    post = Post.objects.get(is_emergency=True)
    assert post.title == "Sperrung Hauptstraße"
    assert post.text == "Die Hauptstraße ist gesperrt. Treffpunkt: {ort} am Markt."
