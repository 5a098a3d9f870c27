"""Who may see, edit and approve posts (checked by services, shown by views)."""

from __future__ import annotations

from accounts.models import Role, User
from accounts.permissions import APPROVE_ON_CHANNEL
from accounts.selectors import (
    unit_ids_for_roles,
    user_has_role,
)
from channels_app.selectors import channels_for_user
from editorial.models import Post
from editorial.posts.selectors import (
    channels_for_drafting,
)


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


def user_may_use_editorial(user: User) -> bool:
    return user_has_role(user, *Role.values)


def user_may_approve(user: User) -> bool:
    return user_has_role(user, Role.APPROVER)


def user_may_write_posts(user: User) -> bool:
    """Editors (of any unit): cheap, for the "New post" button on every page. The same users
    as ``units_for_authoring(user).exists()``, since a role covers its own unit."""
    return user_has_role(user, Role.EDITOR)
