# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Practice data never mixes into real work: analytics, reports, records exports, post and
calendar lists of real units, notifications to real approvers (issue 15)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Notification
from accounts.models import OrgUnit
from accounts.models import User
from accounts.practice.selectors import practice_unit_for
from accounts.practice.services import practice_mode_set
from analytics.dashboard.permissions import unit_ids_for_dashboard
from analytics.dashboard.permissions import user_may_see_dashboard
from analytics.goals.permissions import unit_ids_for_reading_goals
from analytics.records.permissions import channels_for_records
from analytics.records.permissions import units_for_records
from analytics.reports.permissions import unit_ids_for_reading_reports
from channels_app.models import Channel
from editorial.models import Post
from editorial.planning.selectors import calendar_posts
from editorial.posts.selectors import approval_queue_for_user
from editorial.posts.selectors import posts_for_user
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _reload(user: User) -> User:
    return User.objects.get(pk=user.pk)


def _practice_post(user: User) -> Post:
    """A submitted practice post of ``user`` (who is then in practice mode), planned soon."""
    practice_mode_set(user=user, active=True)
    user = _reload(user)
    unit = practice_unit_for(user)
    post = post_create(
        actor=user,
        unit=unit,
        title="Übungsbeitrag",
        text="Nur zur Übung.",
        planned_at=timezone.now() + timedelta(days=1),
        channels=list(Channel.objects.filter(unit=unit)),
    )
    return post_submit(actor=user, post=post)


@pytest.fixture
def practising_approver(org: Org, people: People) -> User:
    """The city's approver, who also practises (an approver reads analytics and records)."""
    _practice_post(people.approver)
    return _reload(people.approver)


def test_practice_units_are_outside_every_authority(org: Org, practising_approver: User) -> None:
    unit = practice_unit_for(practising_approver)
    assert not OrgUnit.objects.filter(path__startswith=org.city.path, pk=unit.pk).exists()


def test_in_practice_mode_analytics_show_nothing(org: Org, practising_approver: User) -> None:
    assert unit_ids_for_dashboard(practising_approver) == set()
    assert unit_ids_for_reading_goals(practising_approver) == set()
    assert unit_ids_for_reading_reports(practising_approver) == set()
    assert not user_may_see_dashboard(practising_approver)


def test_out_of_practice_mode_analytics_leave_the_practice_unit_out(
    org: Org, practising_approver: User
) -> None:
    practice_mode_set(user=practising_approver, active=False)
    approver = _reload(practising_approver)
    unit = practice_unit_for(approver)
    assert org.press.pk in unit_ids_for_dashboard(approver)
    for ids in (
        unit_ids_for_dashboard(approver),
        unit_ids_for_reading_goals(approver),
        unit_ids_for_reading_reports(approver),
    ):
        assert unit.pk not in ids


def test_records_exports_never_cover_a_practice_unit(
    org: Org, people: People, practising_approver: User
) -> None:
    unit = practice_unit_for(practising_approver)
    assert not units_for_records(practising_approver).filter(pk=unit.pk).exists()
    for user in (people.system_admin, people.auditor, _reload(people.approver)):
        assert not units_for_records(user).filter(pk=unit.pk).exists()
        assert not channels_for_records(user).filter(unit=unit).exists()


def test_real_units_post_lists_and_calendars_never_show_practice_posts(
    org: Org, people: People, practising_approver: User
) -> None:
    today = timezone.localdate()
    practice_posts = Post.objects.filter(unit=practice_unit_for(practising_approver))
    assert practice_posts.exists()
    for user in (people.system_admin, people.editor, people.auditor):
        assert not posts_for_user(user).filter(pk__in=practice_posts).exists()
        assert (
            not calendar_posts(user, today, today + timedelta(days=7))
            .filter(pk__in=practice_posts)
            .exists()
        )
        assert not approval_queue_for_user(user).filter(pk__in=practice_posts).exists()


def test_the_practising_user_sees_practice_posts_only_in_practice_mode(
    org: Org, practising_approver: User
) -> None:
    practice_posts = Post.objects.filter(unit=practice_unit_for(practising_approver))
    assert posts_for_user(practising_approver).filter(pk__in=practice_posts).exists()
    practice_mode_set(user=practising_approver, active=False)
    assert not posts_for_user(_reload(practising_approver)).filter(pk__in=practice_posts).exists()


def test_real_approvers_are_not_asked_to_review_practice_posts(
    org: Org, people: People, practising_approver: User
) -> None:
    _practice_post(people.editor)
    assert not Notification.objects.filter(
        recipient=people.approver, kind="editorial.review_requested"
    ).exists()
    assert not Notification.objects.filter(
        recipient=people.system_admin, kind="editorial.review_requested"
    ).exists()
