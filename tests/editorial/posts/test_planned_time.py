# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Planned times in Berlin around the clock changes: the hour that does not exist in spring
gets a clear message, the hour that exists twice in autumn is asked for and stored
unambiguously, by the time helper and by the editor form alike."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from editorial.common.timeutil import berlin_to_aware
from editorial.models import Post
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

AMBIGUOUS = datetime(2026, 10, 25, 2, 30)  # noqa: DTZ001


def test_spring_forward_0230_gets_a_clear_message() -> None:
    with pytest.raises(ValidationError) as error:
        berlin_to_aware(datetime(2027, 3, 28, 2, 30))  # noqa: DTZ001
    assert error.value.code == "nonexistent_time"


def test_the_autumn_ambiguous_hour_needs_a_choice() -> None:
    with pytest.raises(ValidationError) as error:
        berlin_to_aware(AMBIGUOUS)
    assert error.value.code == "ambiguous_time"


@pytest.mark.parametrize(
    ("second_occurrence", "utc"),
    [
        (False, datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (True, datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
    ],
    ids=["first", "second"],
)
def test_the_autumn_ambiguous_hour_is_stored_unambiguously(
    second_occurrence: bool, utc: datetime
) -> None:
    aware = berlin_to_aware(AMBIGUOUS, second_occurrence=second_occurrence)
    assert aware.astimezone(UTC) == utc


# --- The editor form ------------------------------------------------------------------------


@pytest.fixture
def new_post(org: Org, people: People):  # type: ignore[no-untyped-def]
    """Posts the editor form for a new post at the given date and time."""
    client = login(Client(), people.editor)
    base = {
        "unit": org.press.pk,
        "title": "Zeitumstellung",
        "text": "Test",
        "channels": [org.press_channel.pk],
    }

    def post(date: str, time: str, **extra: str):  # type: ignore[no-untyped-def]
        return client.post(
            "/editorial/posts/new/", {**base, "planned_date": date, "planned_time": time, **extra}
        )

    return post


def test_the_editor_form_refuses_the_spring_forward_gap(new_post) -> None:  # type: ignore[no-untyped-def]
    response = new_post("2027-03-28", "02:30")
    assert response.status_code == 200
    assert response.context["form"].errors["planned_time"]


def test_the_editor_form_asks_which_autumn_hour_is_meant(new_post) -> None:  # type: ignore[no-untyped-def]
    response = new_post("2026-10-25", "02:30")
    assert response.context["form"].errors["dst_choice"]


def test_the_editor_form_stores_the_chosen_autumn_hour(new_post) -> None:  # type: ignore[no-untyped-def]
    response = new_post("2026-10-25", "02:30", dst_choice="second")
    assert response.status_code == 302
    post = Post.objects.get(title="Zeitumstellung")
    assert post.planned_at.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
