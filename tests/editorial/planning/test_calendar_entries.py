# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Which posts and slots the calendar shows (editorial.planning.selectors.calendar_entries) and
how its filters narrow them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from accounts.models import Role
from accounts.models import User
from editorial.models import CalendarSlot
from editorial.models import Post
from editorial.models import Topic
from editorial.planning.selectors import CalendarFilters
from editorial.planning.selectors import calendar_entries
from editorial.planning.services import slot_create
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.planning.conftest import S
from tests.editorial.planning.conftest import approved_post
from tests.editorial.planning.conftest import make_post
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

EVERYTHING = {"Presse", "Social", "Andere", "Freigegeben", "Platz"}


@dataclass
class Plan:
    topic: Topic
    other_editor: User
    on_press: Post
    on_social: Post
    by_other: Post
    approved: Post
    slot: CalendarSlot


@pytest.fixture
def plan(org: Org, people: People) -> Plan:
    topic = Topic.objects.create(unit=org.press, name="Baustellen")
    other_editor = UserFactory(language="en", roles=[(org.social, Role.EDITOR)])
    return Plan(
        topic=topic,
        other_editor=other_editor,
        on_press=make_post(org, people, title="Presse", channels=[org.press_channel], topic=topic),
        on_social=make_post(
            org, people, title="Social", channels=[org.social_channel], unit=org.social
        ),
        by_other=make_post(
            org,
            people,
            title="Andere",
            channels=[org.social_channel],
            unit=org.social,
            author=other_editor,
        ),
        approved=approved_post(org, people, title="Freigegeben"),
        slot=slot_create(actor=people.editor, unit=org.press, title="Platz", day=date(2026, 6, 3)),
    )


def titles(user: User, **filters: object) -> set[str]:
    entries = calendar_entries(
        user,
        date(2026, 6, 1),
        date(2026, 7, 1),
        CalendarFilters(**filters),  # type: ignore[arg-type]
    )
    return {e.title for e in entries}


def test_without_filters_the_calendar_shows_every_post_and_slot_in_reach(
    plan: Plan, people: People
) -> None:
    assert titles(people.editor) == EVERYTHING


def test_the_channel_filter(org: Org, plan: Plan, people: People) -> None:
    assert titles(people.editor, channel=org.social_channel) == {
        plan.on_social.title,
        plan.by_other.title,
    }


def test_the_topic_filter(plan: Plan, people: People) -> None:
    assert titles(people.editor, topic=plan.topic) == {plan.on_press.title}


def test_the_status_filter(plan: Plan, people: People) -> None:
    assert titles(people.editor, status=S.SCHEDULED) == {plan.approved.title}


def test_the_status_filter_for_slots(plan: Plan, people: People) -> None:
    assert titles(people.editor, status="slot") == {plan.slot.title}


def test_the_author_filter(plan: Plan, people: People) -> None:
    assert titles(people.editor, author=plan.other_editor) == {plan.by_other.title}


def test_the_unit_filter_covers_the_unit_and_those_below(
    org: Org, plan: Plan, people: People
) -> None:
    assert titles(people.editor, unit=org.social) == {plan.on_social.title, plan.by_other.title}
    assert titles(people.editor, unit=org.press) == EVERYTHING
