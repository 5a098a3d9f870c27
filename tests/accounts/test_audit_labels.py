"""Every audit action has a readable name, and an entry's data reads as a list of changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.module_loading import import_string

from accounts.audit import AUDIT_ACTIONS
from accounts.audit import audit_changes
from accounts.audit import audit_changes_text
from accounts.audit import audit_log
from accounts.notifications import NOTIFICATION_KINDS
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "analytics", "channels_app", "editorial", "moderation")
# A dotted name in quotes that starts like an audit action (the channels app writes "channels.").
DOTTED = re.compile(
    r"""["']((?:accounts|analytics|channels|editorial|moderation)(?:\.[a-z_]+)+)["']"""
)
# Dotted names in the code that are no audit action.
NOT_ACTIONS = {"moderation.privacy.retention_last_run"}  # a cache key


def _importable(name: str) -> bool:
    try:
        import_string(name)
    except ImportError:
        return False
    return True


def _dotted_names_in_code() -> set[str]:
    names: set[str] = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                names.update(DOTTED.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_action_written_in_the_code_has_a_label() -> None:
    actions = {
        name
        for name in _dotted_names_in_code() - NOT_ACTIONS
        if name not in NOTIFICATION_KINDS and not _importable(name)  # a task or a module
    }
    assert len(actions) > 100  # the scan found the code
    unlabelled = sorted(action for action in actions if action not in AUDIT_ACTIONS)
    assert unlabelled == []
    with translation.override("en"):
        assert all(str(AUDIT_ACTIONS[a]).strip() not in ("", a) for a in actions)


@pytest.mark.django_db
def test_changes_list_only_what_changed_with_readable_values() -> None:
    user = UserFactory()
    entry = audit_log(
        action="accounts.user.updated",
        actor=user,
        target=user,
        before={"is_active": True, "language": "de", "full_name": "A"},
        after={"is_active": False, "language": "de", "full_name": "A"},
        data={"reason": "", "count": 2, "token": "geheim"},
    )
    with translation.override("en"):
        changes = {c.label: (c.before, c.after) for c in audit_changes(entry)}
    assert changes == {
        "Active": ("yes", "no"),
        "Reason": (None, "—"),
        "Number": (None, "2"),
        "Token": (None, "***"),  # masked when written, never shown
    }


@pytest.mark.django_db
def test_times_in_data_read_in_berlin_time() -> None:
    entry = audit_log(
        action="accounts.user.updated",
        after={"planned_at": "2026-01-15T08:30:00+00:00"},
        data={"until": "2026-07-01"},
    )
    with translation.override("de"):
        text = audit_changes_text(audit_changes(entry))
    assert "15.01.2026 09:30" in text  # winter: UTC+1
    assert "01.07.2026" in text
