"""What the platform adapters are handed for an inbox item: the comment as they describe it."""

from __future__ import annotations

from channels_app.adapters.base import RemoteComment
from moderation.models import InboxItem


def remote_comment_of(item: InboxItem) -> RemoteComment:
    """The item as the adapter's ``RemoteComment`` (reads ``item.author``: select it along)."""
    return RemoteComment(
        remote_id=item.remote_id,
        post_remote_id=item.post_remote_id,
        author_name=item.author.display_name,
        author_id=item.author.remote_id,
        text=item.text,
        created_at=item.created_at,
        parent_remote_id=item.parent_remote_id,
        url=item.url,
        is_hidden=item.remote_hidden,
    )
