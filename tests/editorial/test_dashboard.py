# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The editorial panels of the dashboard: my drafts and what was sent back, what waits for my
approval, what goes out today and this week, what failed or is late. Counted for the user's
units only: the police's posts never count for the city."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.dashboard import PanelContext
from editorial.common.timeutil import BERLIN
from editorial.models import Post
from editorial.models import PostVariant
from editorial.posts.dashboard import approvals_panel
from editorial.posts.dashboard import my_posts_panel
from editorial.posts.dashboard import schedule_panel
from editorial.publishing.dashboard import problems_panel
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import PostFactory
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

S = Post.Status
V = PostVariant.Status
# A Wednesday at noon: "this week" runs until Sunday night.
WEDNESDAY = datetime(2026, 12, 9, 12, 0, tzinfo=BERLIN)


def _counts(panel: PanelContext | None) -> list[int]:
    assert panel is not None
    return [count.value for count in panel.counts]


@pytest.fixture
def police_editor(org: Org) -> object:
    return UserFactory(roles=[(org.police_press, "editor")])


def test_my_posts_counts_my_drafts_what_was_sent_back_and_what_waits(
    org: Org, people: People
) -> None:
    for status in (S.DRAFT, S.DRAFT, S.REJECTED, S.IN_REVIEW, S.PUBLISHED):
        PostFactory(unit=org.press, author=people.editor, status=status)
    PostFactory(unit=org.press, author=UserFactory(), status=S.DRAFT)  # a colleague's
    panel = my_posts_panel(people.editor)
    assert _counts(panel) == [2, 1, 1]
    assert panel is not None
    assert {post.status for post in panel.items} == {S.DRAFT, S.REJECTED}


def test_my_posts_is_only_for_editors(people: People) -> None:
    assert my_posts_panel(people.approver) is None
    assert schedule_panel(people.community_manager) is None
    assert problems_panel(people.auditor) is None


def test_approvals_count_what_waits_for_me_not_the_police(
    org: Org, people: People, police_editor: object
) -> None:
    PostFactory(
        unit=org.press, author=people.editor, status=S.IN_REVIEW, channels=[org.press_channel]
    )
    PostFactory(
        unit=org.social, author=people.editor, status=S.IN_REVIEW, channels=[org.social_channel]
    )
    PostFactory(
        unit=org.police_press,
        author=police_editor,
        status=S.IN_REVIEW,
        channels=[org.police_channel],
    )
    PostFactory(
        unit=org.press, author=people.editor, status=S.APPROVED, channels=[org.press_channel]
    )
    panel = approvals_panel(people.approver)
    assert _counts(panel) == [2]
    assert approvals_panel(people.editor) is None


def test_going_out_counts_today_and_the_rest_of_the_week(
    org: Org, people: People, police_editor: object
) -> None:
    def planned(when: datetime, status: str = S.SCHEDULED, unit: object = org.press) -> None:
        PostFactory(unit=unit, author=people.editor, status=status, planned_at=when)

    planned(WEDNESDAY.replace(hour=9))  # today, already out of the way: still today's
    planned(WEDNESDAY.replace(hour=16))
    planned(WEDNESDAY.replace(hour=18), status=S.APPROVED)
    planned(WEDNESDAY + timedelta(days=2))  # Friday
    planned(WEDNESDAY + timedelta(days=4, hours=11))  # Sunday 23:00
    planned(WEDNESDAY + timedelta(days=5))  # next Monday
    planned(WEDNESDAY.replace(hour=17), status=S.DRAFT)  # will not go out by itself
    planned(WEDNESDAY.replace(hour=17), status=S.IN_REVIEW)
    planned(WEDNESDAY.replace(hour=17), unit=org.police_press)
    with time_machine.travel(WEDNESDAY, tick=False):
        panel = schedule_panel(people.editor)
    assert _counts(panel) == [3, 5]
    assert panel is not None
    # The list shows what is still to come, the earliest first.
    assert [p.planned_at for p in panel.items] == [
        WEDNESDAY.replace(hour=16),
        WEDNESDAY.replace(hour=18),
        WEDNESDAY + timedelta(days=2),
        WEDNESDAY + timedelta(days=4, hours=11),
    ]


def test_not_published_counts_failed_and_late_channel_posts_of_my_units(
    org: Org, people: People, police_editor: object
) -> None:
    now = timezone.now()

    def post(unit: object, channel: object, status: str, variant: str, at: datetime) -> None:
        PostFactory(
            unit=unit,
            author=people.editor,
            status=status,
            planned_at=at,
            channels=[channel],
            channels__status=variant,
        )

    post(org.press, org.press_channel, S.FAILED, V.FAILED, now - timedelta(hours=2))
    post(org.social, org.social_channel, S.PUBLISHED, V.NEEDS_CHECK, now - timedelta(hours=2))
    post(org.press, org.press_channel, S.SCHEDULED, V.SCHEDULED, now - timedelta(minutes=10))
    post(org.press, org.press_channel, S.SCHEDULED, V.SCHEDULED, now + timedelta(minutes=10))
    post(org.police_press, org.police_channel, S.FAILED, V.FAILED, now - timedelta(hours=2))
    post(org.police_press, org.police_channel, S.SCHEDULED, V.SCHEDULED, now - timedelta(hours=1))
    panel = problems_panel(people.editor)
    assert _counts(panel) == [2, 1]
    assert panel is not None
    assert len(panel.items) == 3
    assert panel.items[0].status == V.SCHEDULED  # the late one first: it may still go out
