"""Who may use the Redaktionsplan, plan topic slots and move posts."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Role
from accounts.models import User
from accounts.permissions import APPROVE_ON_CHANNEL
from accounts.selectors import unit_ids_for_roles
from accounts.selectors import user_role_assignments
from channels_app.selectors import channels_for_user
from editorial.models import CalendarSlot
from editorial.models import Post
from editorial.posts.selectors import channels_for_drafting
from editorial.posts.status import EDITABLE


def user_may_use_calendar(user: User) -> bool:
    return bool(user_role_assignments(user))


# --- Moving posts (the move itself is editorial.posts.services.post_reschedule) ------------


@dataclass(frozen=True)
class MoveRights:
    """Whether the calendar offers "Move" on a post, for many posts in two queries.

    Mirrors ``user_may_edit_post`` / ``user_may_approve_post`` over prefetched variants; it
    only decides what to show: ``post_reschedule`` checks again with those selectors."""

    user_id: int
    editor_unit_ids: frozenset[int]
    draft_channel_ids: frozenset[int]
    approve_channel_ids: frozenset[int]

    def allows(self, post: Post) -> bool:
        if post.status not in EDITABLE:
            return False
        channel_ids = {v.channel_id for v in post.variants.all()}
        may_edit = post.unit_id in self.editor_unit_ids and channel_ids <= self.draft_channel_ids
        may_approve = (
            post.author_id != self.user_id
            and bool(channel_ids)
            and channel_ids <= self.approve_channel_ids
        )
        return may_edit or may_approve

    def allows_slot(self, slot: CalendarSlot) -> bool:
        return slot.unit_id in self.editor_unit_ids


def move_rights_for(user: User) -> MoveRights:
    return MoveRights(
        user_id=user.pk,
        editor_unit_ids=frozenset(unit_ids_for_roles(user, [Role.EDITOR])),
        draft_channel_ids=frozenset(channels_for_drafting(user).values_list("id", flat=True)),
        approve_channel_ids=frozenset(
            channels_for_user(user, APPROVE_ON_CHANNEL).values_list("id", flat=True)
        ),
    )


def user_may_edit_slot(user: User, slot: CalendarSlot) -> bool:
    """Editors of the slot's unit (and the units above it)."""
    return slot.unit_id in unit_ids_for_roles(user, [Role.EDITOR])
