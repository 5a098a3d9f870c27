"""The notifications of replies render as plain text and escaped HTML."""

from __future__ import annotations

import pytest

from accounts.models import Notification
from accounts.notifications import notification_render
from tests.conftest import People

pytestmark = pytest.mark.django_db

HOSTILE = "<b>Hallo</b>"


@pytest.mark.parametrize(
    ("kind", "context"),
    [
        (
            "moderation.reply_approval_requested",
            {"author": "Clara", "channel": "Stadt", "text": HOSTILE},
        ),
        (
            "moderation.reply_rejected",
            {"rejected_by": "Clara", "channel": "Stadt", "text": HOSTILE, "reason": "Zu knapp"},
        ),
        (
            "moderation.reply_failed",
            {"channel": "Stadt", "error": "HTTP 500", "text": HOSTILE, "needs_check": False},
        ),
        (
            "moderation.reply_failed",
            {"channel": "Stadt", "error": "", "text": HOSTILE, "needs_check": True},
        ),
    ],
)
def test_notifications_render(people: People, kind: str, context: dict[str, object]) -> None:
    notification = Notification.objects.create(
        recipient=people.community_manager,
        kind=kind,
        context=context,
        link="/moderation/replies/1/",
    )
    rendered = notification_render(notification, language="en")
    assert "Stadt" in rendered.subject
    assert HOSTILE in rendered.text  # plain text: as written
    assert HOSTILE not in rendered.html and "&lt;b&gt;Hallo&lt;/b&gt;" in rendered.html
