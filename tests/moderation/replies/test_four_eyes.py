# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Four eyes: where the unit asks for it, a reply waits until another community manager
approves it; the author never approves their own; a rejection keeps the text."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from accounts.models import AuditEntry
from accounts.models import Notification
from accounts.models import User
from moderation.models import InboxItem
from moderation.models import ModerationSettings
from moderation.models import Reply
from moderation.replies.services import ReplyTransitionError
from moderation.replies.services import reply_approve
from moderation.replies.services import reply_create
from moderation.replies.services import reply_reject
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

R = Reply.Status


@pytest.fixture
def waiting(
    item: InboxItem, people: People, four_eyes: ModerationSettings, second_manager: User
) -> Reply:
    return reply_create(actor=people.community_manager, item=item, text="Ja, auch dann.")


def test_a_reply_waits_for_approval(waiting: Reply) -> None:
    assert waiting.status == R.AWAITING_APPROVAL and waiting.queued_at is None


def test_other_community_managers_are_asked(waiting: Reply, second_manager: User) -> None:
    notification = Notification.objects.get(kind="moderation.reply_approval_requested")
    assert notification.recipient == second_manager
    assert notification.link == f"/moderation/replies/{waiting.pk}/"


def test_the_author_is_not_asked(waiting: Reply, people: People) -> None:
    assert not Notification.objects.filter(recipient=people.community_manager).exists()


def test_the_author_cannot_approve_their_own_reply(waiting: Reply, people: People) -> None:
    with pytest.raises(PermissionDenied):
        reply_approve(actor=people.community_manager, reply=waiting)
    assert Reply.objects.get(pk=waiting.pk).status == R.AWAITING_APPROVAL


def test_an_auditor_cannot_approve(waiting: Reply, people: People) -> None:
    with pytest.raises(PermissionDenied):
        reply_approve(actor=people.auditor, reply=waiting)


def test_another_community_manager_approves(waiting: Reply, second_manager: User) -> None:
    reply = reply_approve(actor=second_manager, reply=waiting)
    assert reply.status == R.QUEUED and reply.approved_by == second_manager
    assert reply.queued_at is not None
    assert AuditEntry.objects.filter(action="moderation.replies.approved").count() == 1


def test_an_approved_reply_cannot_be_approved_again(waiting: Reply, second_manager: User) -> None:
    reply_approve(actor=second_manager, reply=waiting)
    with pytest.raises(ReplyTransitionError):
        reply_approve(actor=second_manager, reply=waiting)


def test_a_rejection_keeps_the_text_and_the_reason(waiting: Reply, second_manager: User) -> None:
    reply = reply_reject(actor=second_manager, reply=waiting, reason="Bitte freundlicher.")
    reply.refresh_from_db()
    assert reply.status == R.REJECTED and reply.text == "Ja, auch dann."
    assert reply.rejection_reason == "Bitte freundlicher." and reply.rejected_by == second_manager


def test_the_author_learns_of_the_rejection(
    waiting: Reply, second_manager: User, people: People
) -> None:
    reply_reject(actor=second_manager, reply=waiting, reason="Bitte freundlicher.")
    notification = Notification.objects.get(kind="moderation.reply_rejected")
    assert notification.recipient == people.community_manager
    assert notification.context["reason"] == "Bitte freundlicher."


def test_a_rejection_needs_a_reason(waiting: Reply, second_manager: User) -> None:
    with pytest.raises(ValidationError):
        reply_reject(actor=second_manager, reply=waiting, reason="  ")


def test_the_author_cannot_reject_their_own_reply(waiting: Reply, people: People) -> None:
    with pytest.raises(PermissionDenied):
        reply_reject(actor=people.community_manager, reply=waiting, reason="Doch nicht.")


def test_without_four_eyes_nothing_waits(item: InboxItem, people: People) -> None:
    reply = reply_create(actor=people.community_manager, item=item, text="Ja.")
    assert reply.status == R.QUEUED
