# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Pausing publishing (editorial.crisis.services.pause_start/pause_end) and the publishing
guard that honours pauses (editorial.crisis.selectors)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.models import Notification
from editorial.crisis.selectors import active_pauses_for_user
from editorial.crisis.selectors import pauses_active_for_variant
from editorial.crisis.selectors import pauses_may_hold
from editorial.crisis.selectors import variant_is_paused
from editorial.crisis.selectors import variant_may_publish_now
from editorial.crisis.services import pause_end
from editorial.crisis.services import pause_start
from editorial.models import PostVariant
from editorial.models import PublishingPause
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.crisis.conftest import REASON
from tests.editorial.crisis.conftest import V
from tests.editorial.crisis.conftest import make_post
from tests.editorial.crisis.conftest import operator_of_everything
from tests.editorial.crisis.conftest import start_pause
from tests.editorial.crisis.conftest import variant_of
from tests.factories import ChannelFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

# --- The guard ------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["draft", "in_review", "approved", "scheduled", "claimed"])
def test_a_pause_stops_a_post_at_every_stage(org: Org, people: People, stage: str) -> None:
    post = make_post(org, people, stage)
    variant = variant_of(post)
    assert variant_may_publish_now(variant.pk) == (True, "")
    assert not variant_is_paused(variant.pk)

    pause = start_pause(org, people)

    allowed, reason = variant_may_publish_now(variant.pk)
    assert allowed is False
    assert "Amoklage" in reason
    assert variant_is_paused(variant.pk)
    assert pauses_active_for_variant(variant) == [pause]


def test_a_pause_started_after_the_claim_stops_the_platform_call(org: Org, people: People) -> None:
    """The engine asks right after claiming and again just before calling the platform. A
    pause committed in between is seen: nothing is cached between the two calls."""
    post = make_post(org, people, "claimed")
    variant = variant_of(post)
    assert variant.status == V.PUBLISHING and variant.claimed_at is not None

    first = variant_may_publish_now(variant.pk)  # right after the claim
    start_pause(org, people, channel=org.press_channel)
    second = variant_may_publish_now(variant.pk)  # immediately before the platform call

    assert first == (True, "")
    assert second[0] is False


def test_the_guard_reads_the_database_every_time(
    org: Org, people: People, django_assert_num_queries: Callable
) -> None:
    variant = variant_of(make_post(org, people))
    with django_assert_num_queries(2):
        variant_may_publish_now(variant.pk)
    with django_assert_num_queries(2):
        variant_may_publish_now(variant.pk)
    with django_assert_num_queries(2):
        variant_is_paused(variant.pk)


def test_a_vanished_variant_is_not_published() -> None:
    allowed, reason = variant_may_publish_now(987654)
    assert allowed is False and reason


# --- Scope ----------------------------------------------------------------------------------


def test_a_pause_on_a_parent_unit_covers_the_channels_below(org: Org, people: People) -> None:
    social = variant_of(make_post(org, people, channels=[org.social_channel]))
    pause_start(actor=people.system_admin, reason="Stromausfall", unit=org.city)
    assert variant_is_paused(social.pk)  # city → press → social


def test_a_pause_on_a_unit_does_not_cover_another_authoritys_channels(
    org: Org, people: People
) -> None:
    # A variant on another authority's channel (drafting rules aside: only coverage counts).
    police = PostVariant.objects.create(
        post=make_post(org, people, title="Andere"), channel=org.police_channel
    )
    pause_start(actor=people.system_admin, reason="Stromausfall", unit=org.city)
    assert not variant_is_paused(police.pk)


def test_a_channel_pause_covers_only_that_channel(org: Org, people: People) -> None:
    post = make_post(org, people, channels=[org.press_channel, org.social_channel])
    start_pause(org, people, channel=org.social_channel)
    assert variant_is_paused(post.variants.get(channel=org.social_channel).pk)
    assert not variant_is_paused(post.variants.get(channel=org.press_channel).pk)


def test_a_pause_on_a_child_unit_does_not_cover_its_parent(org: Org, people: People) -> None:
    press = variant_of(make_post(org, people))
    start_pause(org, people, unit=org.social)
    assert not variant_is_paused(press.pk)


def test_an_ended_pause_no_longer_holds_future_posts(org: Org, people: People) -> None:
    variant = variant_of(make_post(org, people, planned_at=timezone.now() + timedelta(days=2)))
    pause = start_pause(org, people)
    pause_end(actor=people.approver, pause=pause)
    assert variant_may_publish_now(variant.pk) == (True, "")


@pytest.mark.parametrize(
    ("scope", "refused", "may_hold"),
    [
        ("no pause", False, False),
        ("channel", True, True),
        ("other channel", False, True),
        ("unit", True, True),
        ("parent unit", True, True),
        ("child unit", False, True),
        ("everything", True, True),
        ("ended before the post was due", False, False),
        ("ended after the post was due", True, True),  # the post missed its time during it
    ],
)
def test_the_engines_cheap_pause_check_holds_whenever_the_guard_refuses(
    org: Org, people: People, scope: str, refused: bool, may_hold: bool
) -> None:
    """The engine asks the guard only when ``pauses_may_hold``: it must be true whenever the
    guard refuses, and false without pauses (no guard queries outside a crisis)."""
    past_due = scope == "ended after the post was due"
    due = timezone.now() + (timedelta(minutes=-10) if past_due else timedelta(days=2))
    variant = variant_of(make_post(org, people, planned_at=due))
    operator = operator_of_everything(org)
    where = {
        "channel": {"channel": org.press_channel},
        "other channel": {"channel": org.social_channel},
        "unit": {"unit": org.press},
        "parent unit": {"unit": org.city},
        "child unit": {"unit": org.social},
        "everything": {},
    }.get(scope, {"unit": org.press})
    if scope != "no pause":
        pause = pause_start(actor=operator, reason="Lage", **where)
    if scope.startswith("ended"):
        PublishingPause.objects.filter(pk=pause.pk).update(
            started_at=timezone.now() - timedelta(minutes=20)
        )
        pause_end(actor=operator, pause=PublishingPause.objects.get(pk=pause.pk))

    assert variant_may_publish_now(variant.pk)[0] is not refused
    assert pauses_may_hold(due) is may_hold


# --- Installation-wide pauses ---------------------------------------------------------------


def test_a_system_admin_of_one_authority_cannot_pause_the_whole_installation(
    org: Org, people: People
) -> None:
    with pytest.raises(PermissionDenied):
        pause_start(actor=people.system_admin, reason="Alles anhalten")
    assert not PublishingPause.objects.exists()


def test_an_operators_installation_wide_pause_has_no_scope_and_holds_every_post(
    org: Org, people: People
) -> None:
    pause = pause_start(actor=operator_of_everything(org), reason="Alles anhalten")
    assert variant_is_paused(variant_of(make_post(org, people)).pk)
    assert pause.unit is None and pause.channel is None


# --- Validation and permission --------------------------------------------------------------


def test_a_pause_needs_a_reason(org: Org, people: People) -> None:
    with pytest.raises(ValidationError):
        pause_start(actor=people.approver, reason="  ", unit=org.press)


def test_a_pause_has_a_unit_or_a_channel_not_both(org: Org, people: People) -> None:
    with pytest.raises(ValidationError):
        pause_start(actor=people.approver, reason="x", unit=org.press, channel=org.press_channel)


def test_a_double_click_does_not_pause_twice(org: Org, people: People) -> None:
    start_pause(org, people)
    with pytest.raises(ValidationError):
        start_pause(org, people)
    assert PublishingPause.objects.count() == 1


def test_an_approver_cannot_pause_the_unit_above_their_own(org: Org, people: People) -> None:
    with pytest.raises(PermissionDenied):  # the approver of the Presseamt is not the city's
        pause_start(actor=people.approver, reason="x", unit=org.city)


def test_an_ended_pause_cannot_be_ended_again(org: Org, people: People) -> None:
    pause = start_pause(org, people)
    pause_end(actor=people.channel_admin, pause=pause)
    with pytest.raises(ValidationError):
        pause_end(actor=people.approver, pause=pause)


# --- Audit and alerts -----------------------------------------------------------------------


def test_starting_a_pause_is_audited_with_actor_unit_and_reason(org: Org, people: People) -> None:
    pause = start_pause(org, people)
    entries = AuditEntry.objects.filter(target_id=str(pause.pk)).order_by("sequence")
    assert [e.action for e in entries] == ["editorial.pause.started"]
    entry = entries[0]
    assert entry.actor == people.approver and entry.unit == org.press
    assert entry.data["after"]["reason"] == REASON


def test_ending_a_pause_is_audited_with_its_end(org: Org, people: People) -> None:
    pause = start_pause(org, people)
    pause_end(actor=people.channel_admin, pause=pause)
    entries = AuditEntry.objects.filter(target_id=str(pause.pk)).order_by("sequence")
    assert [e.action for e in entries] == ["editorial.pause.started", "editorial.pause.ended"]
    assert entries[1].actor == people.channel_admin
    assert entries[1].data["before"]["ended_at"] is None and entries[1].data["after"]["ended_at"]


def test_a_pause_alerts_the_channel_admins_but_not_the_approver_who_paused_nor_editors(
    org: Org, people: People
) -> None:
    start_pause(org, people)
    alerted = set(
        Notification.objects.filter(kind="editorial.pause_started").values_list(
            "recipient__email", flat=True
        )
    )
    assert alerted == {people.channel_admin.email}


# --- Who is affected ------------------------------------------------------------------------


def test_active_pauses_for_user_include_a_channel_below_the_users_unit(
    org: Org, people: People
) -> None:
    pause = start_pause(org, people, channel=ChannelFactory(unit=org.social))
    assert active_pauses_for_user(people.editor) == [pause]


def test_active_pauses_for_user_leave_out_other_authorities(org: Org, people: People) -> None:
    start_pause(org, people, channel=ChannelFactory(unit=org.social))
    assert active_pauses_for_user(people.outsider) == []
