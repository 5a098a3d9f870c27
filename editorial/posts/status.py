"""The one place where a post's status machine is written down.

draft → in review → approved → scheduled → publishing → published / partly failed / failed;
rejected (with the approver's reason) goes back to draft; withdrawn. An edit of approved
content returns the post to review; a failed or partly failed post can be retried.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.errors import ErrorCode
from editorial.models import Post

S = Post.Status

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.IN_REVIEW, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.APPROVED, S.SCHEDULED, S.REJECTED, S.DRAFT, S.WITHDRAWN}),
    S.REJECTED: frozenset({S.DRAFT, S.IN_REVIEW, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.SCHEDULED, S.IN_REVIEW, S.WITHDRAWN}),
    S.SCHEDULED: frozenset({S.APPROVED, S.PUBLISHING, S.IN_REVIEW, S.WITHDRAWN}),
    S.PUBLISHING: frozenset({S.PUBLISHED, S.PARTLY_FAILED, S.FAILED, S.SCHEDULED}),
    S.PARTLY_FAILED: frozenset({S.PUBLISHING, S.PUBLISHED, S.WITHDRAWN}),
    S.FAILED: frozenset({S.PUBLISHING, S.SCHEDULED, S.WITHDRAWN}),
    # Deleted in Sprachrohr: the record stays (withdrawn); the platforms may keep the post.
    S.PUBLISHED: frozenset({S.WITHDRAWN}),
    S.WITHDRAWN: frozenset({S.DRAFT}),
}

# Content may be edited in these states; in review or later, an edit returns to review.
EDITABLE = frozenset({S.DRAFT, S.REJECTED, S.IN_REVIEW, S.APPROVED, S.SCHEDULED, S.WITHDRAWN})
# An approval counts only while the post is in these states.
APPROVED_STATES = frozenset({S.APPROVED, S.SCHEDULED, S.PUBLISHING})


class TransitionError(DomainError):
    """An illegal status change: a domain error with a message for staff."""

    code = ErrorCode.INVALID_TRANSITION

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message: str = message


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS[current]:
        raise TransitionError(
            _("A post cannot go from “%(current)s” to “%(target)s”.")
            % {"current": S(current).label, "target": S(target).label}
        )
