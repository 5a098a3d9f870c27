# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The notifications of replies render as plain text and escaped HTML, and link to the
reply instead of quoting it (a reply may carry the citizen's name, and notifications are
kept)."""

from __future__ import annotations

import pytest

from accounts.models import Notification
from accounts.notifications import notification_render
from moderation.replies.services import reply_create
from moderation.replies.services import reply_reject
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

HOSTILE = "<b>Hallo</b>"


@pytest.mark.parametrize(
    ("kind", "context"),
    [
        (
            "moderation.reply_approval_requested",
            {"author": "Clara", "channel": HOSTILE},
        ),
        (
            "moderation.reply_rejected",
            {"rejected_by": "Clara", "channel": HOSTILE, "reason": "Zu knapp"},
        ),
        (
            "moderation.reply_failed",
            {"channel": HOSTILE, "error": "HTTP 500", "needs_check": False},
        ),
        (
            "moderation.reply_failed",
            {"channel": HOSTILE, "error": "", "needs_check": True},
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
    assert HOSTILE in rendered.subject and HOSTILE in rendered.text  # plain text: as written
    assert HOSTILE not in rendered.html and "&lt;b&gt;Hallo&lt;/b&gt;" in rendered.html


def test_the_approval_request_does_not_quote_the_reply(
    item, people: People, four_eyes, second_manager
) -> None:  # type: ignore[no-untyped-def]
    reply_create(actor=people.community_manager, item=item, text="Guten Tag Frau Mustermann")
    notification = Notification.objects.get(kind="moderation.reply_approval_requested")
    assert "Mustermann" not in repr(notification.context)


def test_the_rejection_does_not_quote_the_reply(
    item, people: People, four_eyes, second_manager
) -> None:  # type: ignore[no-untyped-def]
    reply = reply_create(
        actor=people.community_manager, item=item, text="Guten Tag Frau Mustermann"
    )
    reply_reject(actor=second_manager, reply=reply, reason="Bitte ohne Namen")
    notification = Notification.objects.get(kind="moderation.reply_rejected")
    assert "Mustermann" not in repr(notification.context)
