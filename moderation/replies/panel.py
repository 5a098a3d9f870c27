"""The replies panel of the conversation view (registered in ``moderation.registrations``):
the item's replies with their status and, for community managers, the reply form with the
saved-reply picker. The standard answer to a formal request comes first when the item is
flagged as one."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from accounts.models import User
from moderation.common.permissions import user_may_read_channel
from moderation.models import InboxItem
from moderation.models import Reply
from moderation.models import SavedReply
from moderation.replies.forms import ReplyForm
from moderation.replies.permissions import user_may_write_reply
from moderation.replies.selectors import replies_of_item
from moderation.replies.selectors import saved_replies_for_item
from moderation.replies.selectors import standard_replies_for
from moderation.replies.services import reply_text_length
from moderation.replies.texts import text_fill


def reply_panel_context(
    user: User,
    item: InboxItem,
    *,
    form: ReplyForm | None = None,
    chosen: SavedReply | None = None,
    text: str | None = None,
    next_url: str = "",
) -> dict[str, Any] | None:
    """The panel's context, or None when the user may not read the item. ``chosen``: a
    saved reply picked without JavaScript (its filled text goes into the form); ``text``:
    a text to start from (a rejected reply written anew)."""
    if not user_may_read_channel(user, item.channel_id):
        return None
    item = InboxItem.objects.select_related("channel", "channel__unit", "author").get(pk=item.pk)
    replies = list(replies_of_item(item))
    may_write = user_may_write_reply(user, item)
    context: dict[str, Any] = {
        "item": item,
        "replies": [
            {
                "reply": reply,
                "may_decide": may_write
                and reply.status == Reply.Status.AWAITING_APPROVAL
                and reply.author_id != user.pk,
                "may_retry": may_write and reply.status == Reply.Status.FAILED,
                "may_resolve": may_write and reply.status == Reply.Status.NEEDS_CHECK,
                "may_rewrite": may_write and reply.status == Reply.Status.REJECTED,
            }
            for reply in replies
        ],
        "may_write": may_write,
    }
    if not may_write:
        return context
    standard = standard_replies_for(item)
    saved = [
        {"saved": s, "filled": text_fill(s.text, item)} for s in saved_replies_for_item(user, item)
    ]
    if form is None:
        initial_text = ""
        initial_saved: int | None = None
        if text is not None:
            initial_text = text
        elif chosen is not None:
            initial_text, initial_saved = text_fill(chosen.text, item), chosen.pk
        elif standard:
            initial_text, initial_saved = standard[0].text, standard[0].saved_reply_id
        form = ReplyForm(
            initial={"text": initial_text, "saved_reply": initial_saved, "next": next_url}
        )
    current = form["text"].value() or ""
    length, limit = reply_text_length(item, current)
    context.update(
        {
            "form": form,
            "standard_replies": standard,
            "saved_replies": saved,
            "chosen": chosen,
            "length": length,
            "limit": limit,
            "action": reverse("replies:item", args=[item.pk]),
        }
    )
    return context
