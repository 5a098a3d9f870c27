"""The one place where an inbox item's status machine is written down.

new → open → pending → answered / no action needed → closed. Nothing returns to "new" (it
means nobody has looked yet); a closed, answered or settled item can be reopened. Snoozing
is not a status: it hides an item until ``snoozed_until`` and is allowed only while work on
it is still to be done; waking it sets it open.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.errors import ErrorCode
from moderation.models import InboxItem

S = InboxItem.Status

TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.OPEN, S.PENDING, S.ANSWERED, S.NO_ACTION, S.CLOSED}),
    S.OPEN: frozenset({S.PENDING, S.ANSWERED, S.NO_ACTION, S.CLOSED}),
    S.PENDING: frozenset({S.OPEN, S.ANSWERED, S.NO_ACTION, S.CLOSED}),
    S.ANSWERED: frozenset({S.OPEN, S.CLOSED}),
    S.NO_ACTION: frozenset({S.OPEN, S.CLOSED}),
    S.CLOSED: frozenset({S.OPEN}),
}

# Work still to do: only these may be snoozed (and they are what "active" filters for).
ACTIVE = frozenset({S.NEW, S.OPEN, S.PENDING})
# Settled states: the item left the queue (``closed_at`` is set on CLOSED).
SETTLED = frozenset({S.ANSWERED, S.NO_ACTION, S.CLOSED})


class InboxTransitionError(DomainError):
    """An illegal status change or a snooze of a settled item (``invalid_transition``)."""

    code = ErrorCode.INVALID_TRANSITION


def allowed_targets(current: str) -> frozenset[str]:
    return TRANSITIONS[current]


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS[current]:
        raise InboxTransitionError(
            _("An item cannot go from “%(current)s” to “%(target)s”.")
            % {"current": S(current).label, "target": S(target).label}
        )


def check_snooze(current: str) -> None:
    if current not in ACTIVE:
        raise InboxTransitionError(
            _("Only new, open or waiting items can be snoozed, not “%(current)s” ones.")
            % {"current": S(current).label}
        )
