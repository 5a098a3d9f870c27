"""The review reminder names the channel and the date and links to the entry; it does not
name the blocked person (notifications are kept, the register's retention does not reach
them)."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Notification
from accounts.notifications import notification_render
from moderation.blocks.services import block_review_reminders_send
from moderation.models import BlockEntry
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _reminder(block: BlockEntry) -> Notification:
    BlockEntry.objects.filter(pk=block.pk).update(review_due_on=timezone.localdate())
    block_review_reminders_send()
    return Notification.objects.filter(kind="moderation.block_review_due").first()  # type: ignore[return-value]


def test_the_reminder_does_not_name_the_blocked_person(block: BlockEntry) -> None:
    reminder = _reminder(block)
    assert block.author.handle not in repr(reminder.context)


def test_the_reminder_renders_with_channel_and_link(block: BlockEntry) -> None:
    rendered = notification_render(_reminder(block), language="en")
    assert block.channel.name in rendered.subject
    assert f"/moderation/blocks/{block.pk}/" in rendered.text
