# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The deadline partial the inbox includes: time left, breaches in words and an icon."""

from __future__ import annotations

from datetime import timedelta

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils import translation

from moderation.models import InboxItem
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _render(item: InboxItem) -> str:
    # The English source texts, whatever the catalogue of the default language says.
    with translation.override("en"):
        return render_to_string("moderation/service_levels/_deadline.html", {"item": item})


def test_time_left(org) -> None:
    item = InboxItemFactory(
        channel=org.press_channel,
        response_due_at=timezone.now() + timedelta(minutes=135, seconds=30),
    )
    assert "Answer within 2 h 15 min" in _render(item)


def test_breach_is_said_in_words(org) -> None:
    item = InboxItemFactory(
        channel=org.press_channel, response_due_at=timezone.now() - timedelta(minutes=61)
    )
    html = _render(item)
    assert "Answer overdue by 1 h" in html
    assert "⚠" in html


def test_closed_item_needs_no_answer(org) -> None:
    item = InboxItemFactory(
        channel=org.press_channel,
        status=InboxItem.Status.NO_ACTION,
        response_due_at=timezone.now() - timedelta(minutes=61),
    )
    html = _render(item)
    assert "No answer needed" in html
    assert "overdue" not in html


def test_an_item_marked_answered_by_hand_is_no_longer_due(org) -> None:
    item = InboxItemFactory(
        channel=org.press_channel,
        status=InboxItem.Status.ANSWERED,
        response_due_at=timezone.now() - timedelta(minutes=61),
    )
    html = _render(item)
    assert "Answered" in html
    assert "overdue" not in html


def test_an_item_without_a_deadline_says_so(org) -> None:
    item = InboxItemFactory(channel=org.press_channel, response_due_at=None)
    assert "No deadline" in _render(item)
