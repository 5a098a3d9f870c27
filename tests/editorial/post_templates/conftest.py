"""Fixtures and helpers shared by the post template and recurring post tests."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from accounts.models import AuditEntry
from accounts.models import Role
from accounts.models import User
from editorial.common.timeutil import BERLIN
from editorial.models import Post
from editorial.models import PostTemplate
from editorial.post_templates.services import post_template_create
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from tests.conftest import Org
from tests.conftest import People
from tests.factories import UserFactory

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=BERLIN)

VALUES = {"ort": "Hauptstraße", "datum": "3. März", "uhrzeit": "9 Uhr", "umleitung": "Ring"}


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def actions(target: Model) -> list[str]:
    entries = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    )
    return list(entries.order_by("sequence").values_list("action", flat=True))


@pytest.fixture
def template(org: Org, people: People) -> PostTemplate:
    return post_template_create(
        actor=people.editor,
        unit=org.press,
        name="Straßensperrung",
        kind=PostTemplate.Kind.ROAD_CLOSURE,
        title="Sperrung {ort}",
        text="Am {datum} ab {uhrzeit} ist die {ort} gesperrt. Umleitung über {umleitung}.",
        website_link="https://stadt.example/verkehr",
        channels=[org.press_channel],
    )


@pytest.fixture
def police_editor(org: Org) -> User:
    return UserFactory(  # type: ignore[no-any-return]
        email="editor@polizei.example", roles=[(org.police_press, Role.EDITOR)]
    )


def add_templates(org: Org, people: People, count: int) -> None:
    """``count`` templates of the Presseamt with two placeholders and two channels each."""
    for i in range(count):
        post_template_create(
            actor=people.editor,
            unit=org.press,
            name=f"Vorlage {PostTemplate.objects.count()} {i}",
            title="T {a}",
            text="Text {a} {b}",
            channels=[org.press_channel, org.social_channel],
        )


# --- Recurring posts -------------------------------------------------------------------------


@pytest.fixture
def origin(org: Org, people: People) -> Post:
    return post_create(
        actor=people.editor,
        unit=org.press,
        title="Sprechstunde",
        text="Heute ist Bürgersprechstunde im Rathaus.",
        planned_at=berlin(2026, 3, 5, 9),
        channels=[org.press_channel],
    )


def series_of(origin: Post) -> list[Post]:
    return list(Post.objects.filter(recurrence__origin=origin).exclude(pk=origin.pk))


def approve(origin: Post, people: People) -> None:
    post_submit(actor=people.editor, post=origin)
    post_approve(actor=people.approver, post=origin)
