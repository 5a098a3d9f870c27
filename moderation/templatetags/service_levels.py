"""``{% load service_levels %}{% item_deadline item as deadline %}``: what an item's response
deadline means now (for ``moderation/service_levels/_deadline.html``)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from moderation.models import InboxItem
from moderation.service_levels.selectors import DeadlineState
from moderation.service_levels.selectors import deadline_state

register = template.Library()


@register.simple_tag
def item_deadline(item: InboxItem) -> DeadlineState:
    return deadline_state(item)


@register.filter
def service_duration(minutes: int | None) -> str:
    """``135`` → "2 h 15 min" (wall-clock minutes, sign ignored)."""
    if minutes is None:
        return ""
    minutes = abs(int(minutes))
    days, rest = divmod(minutes, 60 * 24)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(_("%(n)d h") % {"n": hours})
    if mins or not parts:
        parts.append(_("%(n)d min") % {"n": mins})
    return " ".join(parts)
