"""The blocks panel of the conversation view (registered in ``moderation.registrations``):
whether the item's author is blocked on the item's channel, with a link to the register
entry, and for community managers a link to block them."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from moderation.blocks.selectors import active_block_for_item
from moderation.common.panels import ItemPanel
from moderation.common.permissions import channel_ids_for_reading
from moderation.common.permissions import channels_for_moderating
from moderation.models import InboxItem


def _context(user: User, item: InboxItem) -> dict[str, Any] | None:
    if item.channel_id not in channel_ids_for_reading(user):
        return None
    block = active_block_for_item(item)
    may_block = block is None and channels_for_moderating(user).filter(pk=item.channel_id).exists()
    return {"item": item, "block": block, "may_block": may_block}


PANEL = ItemPanel(
    name="blocks",
    template="moderation/blocks/_panel.html",
    context=_context,
    order=40,
)
