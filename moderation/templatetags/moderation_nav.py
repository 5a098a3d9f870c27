"""``{% moderation_subnav section as entries %}``: the moderation sub-navigation's entries
for the signed-in user (for ``moderation/_subnav.html``)."""

from __future__ import annotations

from typing import Any

from django import template

from moderation.common.navigation import moderation_subnav as entries_for

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_subnav(context: template.Context, section: str) -> list[dict[str, Any]]:
    return entries_for(context["request"].user, section)
