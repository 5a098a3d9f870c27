"""The moderation area's sub-navigation: one entry per feature page a user may open.

Each entry asks the predicate its page's view declares (or one that is true for the same
roles without a query: the sub-navigation is drawn on every moderation page), so a role
never sees an entry that answers 403, and every page it may open is one click away."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from moderation.blocks.permissions import user_may_read_blocks
from moderation.common.permissions import user_may_see_moderation
from moderation.common.permissions import user_may_use_inbox
from moderation.flags.permissions import user_may_see_flags_area
from moderation.inbox.permissions import user_may_read_inbox
from moderation.ingestion.permissions import user_may_see_streams


@dataclass(frozen=True)
class SubNavEntry:
    section: str
    label: str | Promise
    url_name: str
    visible: Callable[[User], bool]


ENTRIES = (
    SubNavEntry("inbox", _("Inbox"), "inbox:index", user_may_read_inbox),
    SubNavEntry("approvals", _("Replies to approve"), "replies:approvals", user_may_use_inbox),
    SubNavEntry("saved_replies", _("Saved replies"), "replies:saved_list", user_may_use_inbox),
    SubNavEntry("actions", _("Decisions"), "actions:list", user_may_use_inbox),
    SubNavEntry("netiquette", _("Netiquette"), "netiquette:index", user_may_use_inbox),
    SubNavEntry("evidence", _("Evidence"), "evidence:list", user_may_use_inbox),
    SubNavEntry("blocks", _("Block register"), "blocks:list", user_may_read_blocks),
    SubNavEntry("flags", _("Alerts and lexicon"), "flags:index", user_may_see_flags_area),
    # Readers see their units' service levels and requests; system admins govern
    # retention and the per-employee figures of the same settings.
    SubNavEntry(
        "service_levels", _("Service levels"), "service_levels:index", user_may_see_moderation
    ),
    SubNavEntry("privacy", _("Data protection"), "privacy:index", user_may_see_moderation),
    SubNavEntry("ingestion", _("Incoming streams"), "ingestion:list", user_may_see_streams),
)


def moderation_subnav(user: User, section: str) -> list[dict[str, Any]]:
    """The entries ``user`` may open, the one of ``section`` marked current."""
    return [
        {"label": entry.label, "url": reverse(entry.url_name), "current": entry.section == section}
        for entry in ENTRIES
        if entry.visible(user)
    ]
