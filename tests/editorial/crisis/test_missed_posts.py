# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Posts that missed their time during a pause (editorial.crisis.selectors.missed_posts): never
published late, only rescheduled or discarded one by one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils import translation

from editorial.crisis.selectors import MISSED_GRACE
from editorial.crisis.selectors import missed_posts
from editorial.crisis.selectors import variant_is_paused
from editorial.crisis.selectors import variant_may_publish_now
from editorial.crisis.selectors import variant_missed_its_time
from editorial.crisis.services import missed_post_discard
from editorial.crisis.services import missed_post_reschedule
from editorial.crisis.services import pause_end
from editorial.models import Post
from editorial.models import PublishingPause
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.crisis.conftest import S
from tests.editorial.crisis.conftest import V
from tests.editorial.crisis.conftest import audit_actions
from tests.editorial.crisis.conftest import make_post
from tests.editorial.crisis.conftest import start_pause
from tests.editorial.crisis.conftest import variant_of
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

# --- Which posts are missed -----------------------------------------------------------------


@dataclass
class Crisis:
    """Posts around a pause of the Presseamt that starts at ``start``."""

    start: datetime
    pause: PublishingPause
    due_during: Post
    claimed: Post  # claimed by a worker when the pause started
    due_after: Post
    draft: Post


@pytest.fixture
def crisis(org: Org, people: People) -> Crisis:
    start = timezone.now()
    due_during = make_post(org, people, planned_at=start + timedelta(minutes=10), title="Mitten")
    claimed = make_post(
        org, people, "claimed", planned_at=start + timedelta(minutes=1), title="Lief"
    )
    due_after = make_post(org, people, planned_at=start + timedelta(days=1), title="Danach")
    other_channel = make_post(
        org, people, planned_at=start + timedelta(minutes=10), title="Polizei"
    )  # moves to another authority's channel: not covered by the pause
    other_channel.variants.update(channel=org.police_channel)
    draft = make_post(org, people, "draft", planned_at=start + timedelta(minutes=10), title="Roh")
    with time_machine.travel(start, tick=False):
        pause = start_pause(org, people)
    return Crisis(start, pause, due_during, claimed, due_after, draft)


def resume(crisis: Crisis, people: People) -> None:
    """End the pause half an hour after it started; the engine put the claimed variant back
    after the guard refused it."""
    with time_machine.travel(crisis.start + timedelta(minutes=30), tick=False):
        pause_end(actor=people.approver, pause=crisis.pause)
    crisis.claimed.variants.update(status=V.SCHEDULED)
    Post.objects.filter(pk=crisis.claimed.pk).update(status=S.SCHEDULED)


def test_posts_due_during_a_pause_are_missed_while_it_lasts(crisis: Crisis) -> None:
    with time_machine.travel(crisis.start + timedelta(minutes=30), tick=False):
        assert set(missed_posts(crisis.pause)) == {crisis.due_during, crisis.claimed}


def test_after_the_pause_missed_posts_are_listed_by_their_time(
    crisis: Crisis, people: People
) -> None:
    resume(crisis, people)
    with time_machine.travel(crisis.start + timedelta(minutes=31), tick=False):
        assert list(missed_posts(crisis.pause)) == [crisis.claimed, crisis.due_during]
        assert crisis.draft not in missed_posts(crisis.pause)
        assert crisis.due_after not in missed_posts(crisis.pause)


@pytest.mark.parametrize("which", ["due_during", "claimed"])
def test_a_missed_post_is_not_published_late_after_the_pause(
    crisis: Crisis, people: People, which: str
) -> None:
    resume(crisis, people)
    variant = variant_of(getattr(crisis, which))
    with time_machine.travel(crisis.start + timedelta(minutes=31), tick=False):
        with translation.override("en"):
            allowed, reason = variant_may_publish_now(variant.pk)
        assert allowed is False and "Reschedule" in reason
        assert variant_missed_its_time(variant)
        assert not variant_is_paused(variant.pk)


def test_a_post_due_after_the_pause_publishes_as_planned(crisis: Crisis, people: People) -> None:
    resume(crisis, people)
    with time_machine.travel(crisis.start + timedelta(minutes=31), tick=False):
        assert variant_may_publish_now(variant_of(crisis.due_after).pk) == (True, "")


def test_a_missed_post_stays_held_until_someone_decides(crisis: Crisis, people: People) -> None:
    resume(crisis, people)
    # Still not publishable a day later: nobody has decided yet.
    with time_machine.travel(crisis.start + timedelta(days=1, hours=1), tick=False):
        assert variant_may_publish_now(variant_of(crisis.due_during).pk)[0] is False
        assert set(missed_posts(crisis.pause)) == {crisis.due_during, crisis.claimed}


def test_a_post_due_just_before_the_pause_and_still_in_flight_is_missed_too(
    org: Org, people: People
) -> None:
    start = timezone.now()
    late = make_post(org, people, planned_at=start + timedelta(minutes=1))
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        pause = start_pause(org, people)  # the worker had not sent ``late`` yet
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        pause_end(actor=people.approver, pause=pause)
        assert late in missed_posts(pause)
        assert variant_may_publish_now(variant_of(late).pk)[0] is False


def test_a_post_published_just_before_the_pause_is_not_missed(org: Org, people: People) -> None:
    start = timezone.now()
    early = make_post(org, people, planned_at=start + timedelta(minutes=1), title="Alt")
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        pause = start_pause(org, people)
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        pause_end(actor=people.approver, pause=pause)
    early.variants.update(status=V.PUBLISHED, published_at=start + timedelta(minutes=1))
    assert early not in missed_posts(pause)


def test_the_grace_for_posts_in_flight_covers_at_least_a_minute() -> None:
    assert timedelta(minutes=1) <= MISSED_GRACE


# --- Rescheduling and discarding ------------------------------------------------------------


@dataclass
class Missed:
    start: datetime
    pause: PublishingPause
    first: Post
    second: Post


@pytest.fixture
def missed(org: Org, people: People) -> Iterator[Missed]:
    """Two posts missed during a pause that ended 20 minutes after it started; the clock
    stands there while the test runs."""
    start = timezone.now()
    first = make_post(org, people, planned_at=start + timedelta(minutes=5), title="Erster")
    second = make_post(org, people, planned_at=start + timedelta(minutes=6), title="Zweiter")
    with time_machine.travel(start, tick=False):
        pause = start_pause(org, people)
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        pause_end(actor=people.approver, pause=pause)
        yield Missed(start, pause, first, second)


def test_a_missed_post_cannot_be_rescheduled_into_the_past(missed: Missed, people: People) -> None:
    with pytest.raises(ValidationError):
        missed_post_reschedule(
            actor=people.approver, post=missed.first, planned_at=missed.start + timedelta(minutes=1)
        )
    assert missed.first in missed_posts(missed.pause)


def test_a_rescheduled_missed_post_leaves_the_list_and_may_publish_again(
    missed: Missed, people: People
) -> None:
    new_time = timezone.now() + timedelta(hours=2)
    missed_post_reschedule(actor=people.approver, post=missed.first, planned_at=new_time)
    assert list(missed_posts(missed.pause)) == [missed.second]
    variant = variant_of(missed.first)
    assert (variant.status, variant.scheduled_at) == (V.SCHEDULED, new_time)
    assert variant_may_publish_now(variant.pk) == (True, "")


def test_rescheduling_a_missed_post_is_audited(missed: Missed, people: People) -> None:
    new_time = timezone.now() + timedelta(hours=2)
    missed_post_reschedule(actor=people.approver, post=missed.first, planned_at=new_time)
    assert "editorial.pause.missed_post_rescheduled" in audit_actions(missed.first)
    assert "editorial.post.rescheduled" in audit_actions(missed.first)


def test_discarding_a_missed_post_needs_a_reason(missed: Missed, people: People) -> None:
    with pytest.raises(ValidationError):
        missed_post_discard(actor=people.approver, post=missed.second, reason=" ")
    assert missed.second in missed_posts(missed.pause)


def test_a_discarded_missed_post_is_withdrawn_and_leaves_the_list(
    missed: Missed, people: People
) -> None:
    missed_post_discard(actor=people.approver, post=missed.second, reason="Überholt")
    assert list(missed_posts(missed.pause)) == [missed.first]
    missed.second.refresh_from_db()
    assert missed.second.status == S.WITHDRAWN and variant_of(missed.second).status == V.SKIPPED


def test_the_list_is_empty_once_every_missed_post_is_decided(
    missed: Missed, people: People
) -> None:
    new_time = timezone.now() + timedelta(hours=2)
    missed_post_reschedule(actor=people.approver, post=missed.first, planned_at=new_time)
    missed_post_discard(actor=people.approver, post=missed.second, reason="Überholt")
    assert list(missed_posts(missed.pause)) == []


def test_discarding_a_missed_post_is_audited(missed: Missed, people: People) -> None:
    missed_post_discard(actor=people.approver, post=missed.second, reason="Überholt")
    assert "editorial.pause.missed_post_discarded" in audit_actions(missed.second)
    assert "editorial.post.withdrawn" in audit_actions(missed.second)


def test_another_authority_cannot_discard_a_missed_post(missed: Missed, people: People) -> None:
    with pytest.raises(PermissionDenied):
        missed_post_discard(actor=people.outsider, post=missed.first, reason="x")
