# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Practice is never e-mailed (issue 15), also for the notifications raised by schedules and
status changes rather than by a person's work on a post: block reviews due, prosecution
deadlines, channel notices (reconnect, access expiring) and a crisis pause. Each is raised
here about an object of a practice space; the notification is there in-app, no e-mail is
queued. A real-unit twin of each kind is e-mailed (the tests of the kind's own area)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Notification
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.practice.selectors import practice_unit_for
from accounts.practice.services import practice_mode_set
from accounts.tasks import send_notification_email
from channels_app.models import Channel
from channels_app.services import channel_status_set
from channels_app.services import channels_warn_expiring
from editorial.crisis.services import pause_start
from moderation.blocks.services import block_review_reminders_send
from moderation.evidence.services import evidence_mark_criminal
from moderation.evidence.services import evidence_record
from moderation.evidence.services import evidence_remind_prosecution_deadlines
from moderation.models import BlockEntry
from moderation.models import NetiquetteRule
from tests.conftest import People
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def emails_queued(callbacks: list[Callable[[], Any]]) -> int:
    return sum(1 for c in callbacks if getattr(c, "func", None) == send_notification_email.delay)


def _practice(user: User) -> tuple[User, OrgUnit, Channel]:
    practice_mode_set(user=user, active=True)
    user = User.objects.get(pk=user.pk)
    unit = practice_unit_for(user)
    assert unit is not None and unit.is_practice
    return user, unit, Channel.objects.filter(unit=unit).order_by("pk").first()  # type: ignore[return-value]


@pytest.fixture
def practising_manager(people: People) -> tuple[User, OrgUnit, Channel]:
    return _practice(people.community_manager)


@pytest.fixture
def practising_admin(people: People) -> tuple[User, OrgUnit, Channel]:
    return _practice(people.channel_admin)


def test_a_block_review_due_in_practice_is_not_emailed(
    practising_manager: tuple[User, OrgUnit, Channel], django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    manager, unit, channel = practising_manager
    item = InboxItemFactory(channel=channel, text="Ihr Versager!")
    # The practice space's Netiquette, published from the starter library when it was made.
    rule = NetiquetteRule.objects.filter(netiquette__unit=unit).order_by("number").first()
    BlockEntry.objects.create(
        channel=channel,
        author=item.author,
        item=item,
        rule=rule,
        justification="Übung",
        blocked_by=manager,
        review_due_on=timezone.localdate(),
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert block_review_reminders_send() == 1
    assert Notification.objects.filter(recipient=manager, kind="moderation.block_review_due")
    assert emails_queued(callbacks) == 0


def test_a_prosecution_deadline_in_practice_is_not_emailed(
    practising_manager: tuple[User, OrgUnit, Channel], django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    manager, _unit, channel = practising_manager
    record = evidence_record(
        actor=manager, item=InboxItemFactory(channel=channel, text="Du bist ein Idiot.")
    )
    evidence_mark_criminal(
        actor=manager, record=record, known_since=timezone.localdate() - timedelta(days=80)
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert evidence_remind_prosecution_deadlines() == 1
    assert Notification.objects.filter(recipient=manager, kind="moderation.prosecution_deadline")
    assert emails_queued(callbacks) == 0


def test_a_practice_channel_needing_reconnection_is_not_emailed(
    practising_admin: tuple[User, OrgUnit, Channel], django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    admin, _unit, channel = practising_admin
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        channel_status_set(channel, Channel.Status.NEEDS_RECONNECT, "Zugang abgelaufen")
    assert Notification.objects.filter(recipient=admin, kind="channels.needs_reconnect")
    assert emails_queued(callbacks) == 0


def test_a_practice_channels_expiring_access_is_not_emailed(
    practising_admin: tuple[User, OrgUnit, Channel], django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    admin, _unit, channel = practising_admin
    Channel.objects.filter(pk=channel.pk).update(reconnect_by=timezone.now() + timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert channels_warn_expiring() == 1
    assert Notification.objects.filter(recipient=admin, kind="channels.access_expiring")
    assert emails_queued(callbacks) == 0


def test_a_crisis_pause_of_a_practice_space_is_not_emailed(
    people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    editor, unit, _channel = _practice(people.editor)
    # A second real person responsible there (as a trainer might be): the pause alerts the
    # scope's approvers but the actor, and the simulated colleague has no mailbox anyway.
    trainer = UserFactory(email="trainer@stadt.example", roles=[(unit, Role.APPROVER)])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pause_start(actor=editor, reason="Übung: Lage unklar", unit=unit)
    assert Notification.objects.filter(recipient=trainer, kind="editorial.pause_started")
    assert emails_queued(callbacks) == 0
