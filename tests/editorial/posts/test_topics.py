# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""A post is filed only under a topic of the author's own units: another authority's topic
is refused by the service, and the API answers for it exactly as for a topic that does not
exist (its existence does not leak)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from editorial.models import Topic
from editorial.posts.services import post_create
from editorial.posts.services import post_update
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@pytest.fixture
def police_topic(org: Org) -> Topic:
    return Topic.objects.create(unit=org.police_press, name="Einsatzlage")


def test_the_service_refuses_another_authoritys_topic_on_create(
    org: Org, people: People, police_topic: Topic
) -> None:
    with pytest.raises(ValidationError) as refused:
        post_create(actor=people.editor, unit=org.press, title="Hitze", topic=police_topic)
    assert "topic" in refused.value.message_dict


def test_the_service_refuses_another_authoritys_topic_on_edit(
    org: Org, people: People, police_topic: Topic
) -> None:
    post = post_create(actor=people.editor, unit=org.press, title="Hitze")
    with pytest.raises(ValidationError):
        post_update(actor=people.editor, post=post, topic=police_topic)
    post.refresh_from_db()
    assert post.topic is None


def test_the_api_answers_another_authoritys_topic_like_a_missing_one(
    org: Org, people: People, police_topic: Topic, api_client_for: Callable[[User], Any]
) -> None:
    api = api_client_for(people.editor)

    def create(topic_id: int) -> Any:
        payload = {"unit": org.press.pk, "title": "Hitze", "topic": topic_id}
        return api.post("/api/v1/posts/", payload, format="json")

    foreign, missing = create(police_topic.pk), create(999_999)
    assert foreign.status_code == missing.status_code == 400
    assert str(foreign.json()["topic"]).replace(str(police_topic.pk), "N") == str(
        missing.json()["topic"]
    ).replace("999999", "N")


def test_a_city_wide_campaign_topic_files_posts_of_every_office(org: Org, people: People) -> None:
    # One rule for posts and topic slots: topics of the units above count too.
    campaign = Topic.objects.create(unit=org.city, name="Stadtfest 2026")
    post = post_create(actor=people.editor, unit=org.press, title="Programm", topic=campaign)
    assert post.topic == campaign
