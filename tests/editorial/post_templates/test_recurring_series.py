# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Recurring posts as a series of copies (editorial/post_templates/recurrence.py, tasks.py):
making, extending, approving, stopping."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from accounts.models import AuditEntry
from accounts.models import Role
from editorial.common.timeutil import BERLIN
from editorial.models import Approval
from editorial.models import Post
from editorial.models import Recurrence
from editorial.post_templates.recurrence import HORIZON
from editorial.post_templates.recurrence import post_make_recurring
from editorial.post_templates.recurrence import recurrence_carry_approval
from editorial.post_templates.recurrence import recurrence_stop
from editorial.post_templates.tasks import extend_recurring_series
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from editorial.posts.services import post_update
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.post_templates.conftest import NOW
from tests.editorial.post_templates.conftest import actions
from tests.editorial.post_templates.conftest import approve
from tests.editorial.post_templates.conftest import berlin
from tests.editorial.post_templates.conftest import series_of
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


# --- Making a series -----------------------------------------------------------------------


@pytest.fixture
def weekly(people: People, origin: Post) -> Recurrence:
    return post_make_recurring(actor=people.editor, post=origin, frequency="weekly")


def test_making_a_post_recurring_creates_copies_at_the_same_local_time_up_to_the_horizon(
    origin: Post, weekly: Recurrence
) -> None:
    last = NOW + HORIZON
    expected = [berlin(2026, 3, 5, 9) + timedelta(weeks=n) for n in range(1, 9)]
    expected = [berlin(m.year, m.month, m.day, 9) for m in expected if m <= last]
    assert [c.planned_at for c in series_of(origin)] == expected
    assert all(c.planned_at.astimezone(BERLIN).hour == 9 for c in series_of(origin))


def test_the_copies_are_drafts_of_the_series_with_the_origins_text_and_channels(
    org: Org, origin: Post, weekly: Recurrence
) -> None:
    copies = series_of(origin)
    assert copies
    for copy in copies:
        assert copy.text == origin.text and copy.status == Post.Status.DRAFT
        assert [v.channel_id for v in copy.variants.all()] == [org.press_channel.pk]
        assert copy.recurrence == weekly


def test_the_copies_carry_the_content_warning_and_with_it_the_approval(
    people: People, origin: Post
) -> None:
    post_update(actor=people.editor, post=origin, content_warning="Hochwasser")
    approve(origin, people)
    post_make_recurring(actor=people.editor, post=origin, frequency="weekly", count=2)
    (copy,) = series_of(origin)
    assert copy.content_warning == "Hochwasser"
    assert copy.status == Post.Status.SCHEDULED  # the same content: the approval holds


def test_making_and_filling_a_series_is_audited(origin: Post, weekly: Recurrence) -> None:
    assert "editorial.series.created" in actions(origin)
    assert "editorial.series.extended" in actions(origin)


def test_an_approver_may_not_make_a_series(people: People, origin: Post) -> None:
    with pytest.raises(PermissionDenied):
        post_make_recurring(actor=people.approver, post=origin, frequency="weekly")


def test_a_series_needs_a_planned_time(org: Org, people: People) -> None:
    unplanned = post_create(
        actor=people.editor, unit=org.press, title="x", text="x", channels=[org.press_channel]
    )
    with pytest.raises(ValidationError):
        post_make_recurring(actor=people.editor, post=unplanned, frequency="weekly")


def test_interval_and_count_must_be_positive(people: People, origin: Post) -> None:
    with pytest.raises(ValidationError) as error:
        post_make_recurring(
            actor=people.editor, post=origin, frequency="weekly", interval=0, count=1
        )
    assert set(error.value.message_dict) == {"interval", "count"}


# --- Extending (the periodic task) ---------------------------------------------------------


@pytest.fixture
def twenty_weeks(people: People, origin: Post) -> int:
    """A series of 20 weekly posts, as far as the horizon reaches; returns its copies' count."""
    post_make_recurring(actor=people.editor, post=origin, frequency="weekly", count=20)
    return len(series_of(origin))


@pytest.fixture
def one_withdrawn_and_moved(origin: Post, twenty_weeks: int) -> int:
    first = series_of(origin)[0]
    first.status = Post.Status.WITHDRAWN
    first.planned_at = first.planned_at + timedelta(hours=3)
    first.save()
    return twenty_weeks


def test_the_periodic_task_adds_nothing_to_a_filled_series(origin: Post, twenty_weeks: int) -> None:
    assert extend_recurring_series() == 0
    assert extend_recurring_series() == 0
    assert len(series_of(origin)) == twenty_weeks


def test_a_withdrawn_or_moved_occurrence_is_not_created_again(
    one_withdrawn_and_moved: int,
) -> None:
    assert extend_recurring_series() == 0


def test_a_week_later_the_periodic_task_adds_one_occurrence_once(
    origin: Post, one_withdrawn_and_moved: int
) -> None:
    with time_machine.travel(NOW + timedelta(weeks=1), tick=False):
        assert extend_recurring_series() == 1
        assert extend_recurring_series() == 0
    assert len(series_of(origin)) == one_withdrawn_and_moved + 1
    planned = [p.planned_at for p in series_of(origin)]
    assert len(planned) == len(set(planned))


# --- Approval ------------------------------------------------------------------------------


@pytest.fixture
def approved_with_one_edited(people: People, origin: Post) -> tuple[Post, Post, Post]:
    """Four weekly posts; the third's text changed; then the origin approved. Returns the
    copies (second, third, fourth), refreshed."""
    post_make_recurring(actor=people.editor, post=origin, frequency="weekly", count=4)
    second, third, fourth = series_of(origin)
    post_update(actor=people.editor, post=third, text="Heute keine Sprechstunde.")
    approve(origin, people)
    for post in (origin, second, third, fourth):
        post.refresh_from_db()
    return second, third, fourth


def test_approval_carries_over_to_identical_occurrences(
    people: People, origin: Post, approved_with_one_edited: tuple[Post, Post, Post]
) -> None:
    assert origin.status == Post.Status.SCHEDULED
    second, _third, fourth = approved_with_one_edited
    for post in (second, fourth):
        assert post.status == Post.Status.SCHEDULED
        assert post.approved_hash == origin.approved_hash
        assert post.approved_at == origin.approved_at
        assert post.variants.get().scheduled_at == post.planned_at
        assert Approval.objects.get(post=post).approver == people.approver


def test_carried_over_approvals_are_audited(
    approved_with_one_edited: tuple[Post, Post, Post],
) -> None:
    second, _third, fourth = approved_with_one_edited
    for post in (second, fourth):
        assert actions(post)[-2:] == [
            "editorial.series.occurrence_submitted",
            "editorial.series.approval_carried_over",
        ]


def test_an_occurrence_that_differs_is_not_approved(
    approved_with_one_edited: tuple[Post, Post, Post],
) -> None:
    _second, third, _fourth = approved_with_one_edited
    assert third.status == Post.Status.DRAFT and not third.approvals.exists()


def test_approval_is_carried_over_at_once_and_the_sweep_finds_nothing_left(
    origin: Post, approved_with_one_edited: tuple[Post, Post, Post]
) -> None:
    # Carried over at the moment of approval; an explicit call (the periodic sweep) finds
    # nothing left to do.
    assert recurrence_carry_approval(origin=origin) == []
    assert extend_recurring_series() == 0


def test_occurrences_created_after_the_approval_are_approved_at_once(
    people: People, origin: Post
) -> None:
    approve(origin, people)
    post_make_recurring(actor=people.editor, post=origin, frequency="weekly", count=3)
    assert {p.status for p in series_of(origin)} == {Post.Status.SCHEDULED}


@pytest.fixture
def one_edited_after_approval(people: People, origin: Post) -> tuple[Post, Post]:
    """Three weekly posts, approved; then the second's text changed. Returns (second,
    third), refreshed."""
    post_make_recurring(actor=people.editor, post=origin, frequency="weekly", count=3)
    approve(origin, people)
    recurrence_carry_approval(origin=origin)
    second, third = series_of(origin)
    post_update(actor=people.editor, post=second, text="Ausnahmsweise im Foyer.")
    for post in (origin, second, third):
        post.refresh_from_db()
    return second, third


def test_an_edited_occurrence_returns_to_review(
    one_edited_after_approval: tuple[Post, Post],
) -> None:
    second, _third = one_edited_after_approval
    assert second.status == Post.Status.IN_REVIEW and not second.approved_hash


def test_editing_one_occurrence_leaves_the_others_scheduled(
    origin: Post, one_edited_after_approval: tuple[Post, Post]
) -> None:
    _second, third = one_edited_after_approval
    assert third.status == Post.Status.SCHEDULED
    assert origin.status == Post.Status.SCHEDULED


def test_the_author_never_approves_a_copy(org: Org, people: People, origin: Post) -> None:
    # The approver is also an editor and makes the series: copies are theirs, so the
    # approval they gave for the origin does not count for them (four eyes).
    both = UserFactory(roles=[(org.press, Role.EDITOR), (org.press, Role.APPROVER)])
    post_submit(actor=people.editor, post=origin)
    post_approve(actor=both, post=origin)
    post_make_recurring(actor=both, post=origin, frequency="weekly", count=3)
    assert {p.status for p in series_of(origin)} == {Post.Status.DRAFT}


# --- Stopping ------------------------------------------------------------------------------


@pytest.fixture
def daily(people: People, origin: Post) -> Recurrence:
    return post_make_recurring(actor=people.editor, post=origin, frequency="daily")


@pytest.fixture
def withdrawn(people: People, daily: Recurrence) -> list[int]:
    """The ids ``recurrence_stop`` returned when the editor stopped the daily series."""
    return recurrence_stop(actor=people.editor, recurrence=daily)


def test_another_authority_may_not_stop_a_series(
    people: People, origin: Post, daily: Recurrence
) -> None:
    with pytest.raises(PermissionDenied):
        recurrence_stop(actor=people.outsider, recurrence=daily)
    assert Post.Status.WITHDRAWN not in {p.status for p in series_of(origin)}


def test_stopping_withdraws_every_future_occurrence_but_not_the_origin(
    people: People, origin: Post, daily: Recurrence
) -> None:
    copies = series_of(origin)
    withdrawn = recurrence_stop(actor=people.editor, recurrence=daily)
    assert sorted(withdrawn) == sorted(c.pk for c in copies)
    assert {p.status for p in series_of(origin)} == {Post.Status.WITHDRAWN}
    origin.refresh_from_db()
    assert origin.status == Post.Status.DRAFT  # the origin stays as it was


def test_stopping_is_audited_with_the_withdrawn_posts(people: People, withdrawn: list[int]) -> None:
    entry = AuditEntry.objects.get(action="editorial.series.stopped")
    assert entry.actor == people.editor and sorted(entry.data["withdrawn"]) == sorted(withdrawn)


def test_a_stopped_series_is_not_extended(withdrawn: list[int]) -> None:
    with time_machine.travel(NOW + timedelta(weeks=2), tick=False):
        assert extend_recurring_series() == 0


def test_a_stopped_series_cannot_be_stopped_again(
    people: People, daily: Recurrence, withdrawn: list[int]
) -> None:
    with pytest.raises(ValidationError):
        recurrence_stop(actor=people.editor, recurrence=daily)
