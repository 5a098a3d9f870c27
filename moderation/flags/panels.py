"""The flags panel of the conversation view: every flag of the item with its explanation
and evidence, for all who read the item; a dismiss button for community managers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from moderation.common.panels import ItemPanel
from moderation.common.permissions import user_may_moderate_channel
from moderation.common.permissions import user_may_use_inbox
from moderation.flags.selectors import active_classifier
from moderation.flags.selectors import flags_of_item
from moderation.models import Flag
from moderation.models import InboxItem


def evidence_lines(flag: Flag) -> list[str]:
    """The flag's evidence as short lines for people (the API gives the JSON itself)."""
    evidence = flag.evidence or {}
    lines: list[str] = []
    if flag.kind == Flag.Kind.PERSONAL_DATA:
        lines += [span["masked"] for span in evidence.get("spans", [])]
    elif flag.kind == Flag.Kind.KEYWORD:
        lines += [
            _("“%(text)s” (alert “%(phrase)s”)") % {"text": s["text"], "phrase": s["phrase"]}
            for s in evidence.get("spans", [])
        ]
    elif flag.kind == Flag.Kind.SPAM_LINK:
        lines += [link for link in evidence.get("links", [])]
    elif flag.kind == Flag.Kind.FORMAL_REQUEST:
        lines += [f"“{term}”" for term in evidence.get("terms", [])]
    elif flag.code == "lexicon":
        lines += [
            (
                _("“%(text)s” (lexicon: %(term)s)")
                if t.get("source") == "lexicon"
                else _("“%(text)s” (your unit's word: %(term)s)")
            )
            % {"text": t["text"], "term": t["term"]}
            for t in evidence.get("terms", [])
        ]
    elif flag.code == "classifier":
        lines += [
            _("“%(ngram)s” (weight %(weight)s)") % {"ngram": f["ngram"], "weight": f["weight"]}
            for f in evidence.get("top_features", [])
        ]
    return lines


def flags_panel_context(user: User, item: InboxItem) -> dict[str, Any] | None:
    # The conversation page has checked that the user reads the item's channel.
    if not user_may_use_inbox(user):
        return None
    flags = list(flags_of_item(item))
    return {
        "item": item,
        "flags": [(flag, evidence_lines(flag)) for flag in flags],
        "open_count": sum(1 for flag in flags if flag.dismissed_at is None),
        "may_dismiss": bool(flags) and user_may_moderate_channel(user, item.channel_id),
        "classifier_missing": active_classifier() is None,
    }


PANEL = ItemPanel(
    name="flags",
    template="moderation/flags/_panel.html",
    context=flags_panel_context,
    order=10,
)
