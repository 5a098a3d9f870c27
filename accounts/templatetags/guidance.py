"""Template helpers of guidance: the "?" help link of each page, links into the guides."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.guidance.guides import ROLE_GUIDES
from accounts.guidance.guides import guide_url
from accounts.guidance.guides import help_url
from accounts.models import Role
from accounts.models import User
from accounts.selectors import user_roles

register = template.Library()


@register.simple_tag(takes_context=True)
def page_help_url(context: dict[str, Any]) -> str:
    """The guide section that explains the page being shown (the start of the user's guide
    when no section does)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    roles = user_roles(user) if isinstance(user, User) else set()
    if match is None:
        return help_url((), "", roles)
    return help_url(match.namespaces, match.url_name or "", roles)


@register.filter
def guide_link(section: str) -> str:
    """ "<guide>#<anchor>" → the address of that section."""
    name, _hash, anchor = section.partition("#")
    return guide_url(name, anchor)


@register.simple_tag
def guide_pages() -> list[tuple[str, str]]:
    """(page, role label) of each role guide, for the guide's sub-navigation."""
    labels = dict(Role.choices)
    return [(name, str(labels[role])) for role, name in ROLE_GUIDES.items()]
