"""Who may see, edit and approve posts (checked by services, shown by views)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.errors import ConflictError
from accounts.errors import DomainError
from accounts.errors import ErrorCode
from accounts.models import Role
from accounts.models import User
from accounts.permissions import APPROVE_ON_CHANNEL
from accounts.selectors import unit_ids_for_roles
from accounts.selectors import user_has_role
from channels_app.selectors import channels_for_user
from editorial.models import Post
from editorial.posts.selectors import channels_for_drafting


def user_may_edit_post(user: User, post: Post) -> bool:
    """Editors of the post's unit who may draft on every channel it targets."""
    if post.unit_id not in unit_ids_for_roles(user, [Role.EDITOR]):
        return False
    allowed = set(channels_for_drafting(user).values_list("id", flat=True))
    return all(v.channel_id in allowed for v in post.variants.all())


def user_may_approve_post(user: User, post: Post) -> bool:
    """Approvers of every target channel; never the author (four eyes)."""
    if post.author_id == user.pk or not post.variants.exists():
        return False
    allowed = set(channels_for_user(user, APPROVE_ON_CHANNEL).values_list("id", flat=True))
    return all(v.channel_id in allowed for v in post.variants.all())


class FourEyesError(DomainError, PermissionDenied):
    """The author asked to approve their own post. A ``PermissionDenied`` too, so that every
    place that refuses a forbidden action refuses this one; its message explains the rule."""

    code = ErrorCode.PERMISSION_DENIED
    status_code = 403


def four_eyes_message() -> str:
    return _(
        "You wrote this post. Four-eyes rule: someone else must approve it, so that a second "
        "person checks every post before it is published."
    )


def four_eyes_check(user: User, post: Post) -> None:
    """Refuse, with the rule explained, when the author tries to approve their own post."""
    if post.author_id == user.pk:
        raise FourEyesError(four_eyes_message())


def seen_content_check(seen_hash: str, content_hash: str) -> None:
    """Refuse an approval of content other than what the approver was shown (``seen_hash``,
    sent back by the approval page; empty: not known, as from the API)."""
    if seen_hash and seen_hash != content_hash:
        raise ConflictError(
            _(
                "The post was changed while you were looking at it. Check the new version "
                "and approve again."
            )
        )


def approve_refusal(user: User, post: Post) -> str:
    """Why the user sees no approve button on a post in review ("" when they may approve or
    have nothing to do with approving): the page says so instead of leaving it out."""
    if post.status != Post.Status.IN_REVIEW or user_may_approve_post(user, post):
        return ""
    if post.author_id == user.pk:
        return four_eyes_message()
    if user_has_role(user, Role.APPROVER):
        return _(
            "You may not approve on every channel of this post: someone who approves for all "
            "of its channels must approve it."
        )
    return ""


def user_may_use_editorial(user: User) -> bool:
    return user_has_role(user, *Role.values)


def user_may_approve(user: User) -> bool:
    return user_has_role(user, Role.APPROVER)


def user_may_write_posts(user: User) -> bool:
    """Editors (of any unit): cheap, for the "New post" button on every page. The same users
    as ``units_for_authoring(user).exists()``, since a role covers its own unit."""
    return user_has_role(user, Role.EDITOR)
