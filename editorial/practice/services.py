"""Practice mode in the editorial workflow: the simulated colleague of a practice space.

Four eyes stay four eyes in practice too: nobody approves their own post. The colleague
(``accounts.practice``: editor and approver in the practice unit, cannot log in) approves
what the user submits there, and on the space's first day submits a post of its own for the
user to review. Real units never see the colleague: its roles are in practice units only.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import OrgUnit
from accounts.models import User
from accounts.practice.selectors import practice_colleague_for
from editorial.common.content import post_content_hash
from editorial.models import Post
from editorial.posts.selectors import channels_for_drafting
from editorial.posts.selectors import current_approvals
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit

logger = logging.getLogger(__name__)

REVIEW_TEXT = (
    "Ab Montag hat das Bürgerbüro neue Öffnungszeiten: Montag bis Freitag 8 bis 18 Uhr, "
    "samstags 9 bis 12 Uhr. Termine gibt es online und telefonisch."
)


@transaction.atomic
def practice_review_request(
    sender: Any, unit: OrgUnit, user: User, colleague: User, **kw: Any
) -> Post | None:
    """The colleague's post waiting for the user's review (receiver of
    ``practice_space_provisioned``; nothing without practice channels)."""
    channels = list(channels_for_drafting(colleague).filter(unit=unit))
    if not channels:
        return None
    post = post_create(
        actor=colleague,
        unit=unit,
        title=_("Practice: new opening hours"),
        text=REVIEW_TEXT,
        channels=channels,
    )
    return post_submit(actor=colleague, post=post)


def practice_post_submitted(post: Post) -> bool:
    """Whether the colleague should look at ``post``: in review in a practice unit."""
    return post.status == Post.Status.IN_REVIEW and post.unit.practice_of_id is not None


@transaction.atomic
def practice_colleague_review(post_id: int) -> bool:
    """The colleague approves a post submitted in a practice space. Idempotent: nothing for
    a post no longer in review, for the colleague's own posts, or when it approved already."""
    # Locked first: the task queued on submit and a direct call may both come (a worker and
    # the request's own run); the second then sees the approval and does nothing.
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("unit", "unit__practice_of")
        .filter(pk=post_id)
        .first()
    )
    if post is None or not practice_post_submitted(post):
        return False
    owner = post.unit.practice_of
    colleague = practice_colleague_for(owner) if owner is not None else None
    if colleague is None or colleague.pk == post.author_id:
        return False
    if current_approvals(post).filter(approver=colleague).exists():
        return False
    post_approve(
        actor=colleague,
        post=post,
        comment=_("Looks good to me. (Your practice colleague)"),
        seen_hash=post_content_hash(post),
    )
    return True
