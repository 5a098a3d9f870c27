"""The main navigation, assembled from what each app registers at start-up.

accounts is the bottom layer: it cannot know the areas the apps above it add (Redaktionsplan,
Kanäle, later Inbox and Auswertung). Each app registers its entries in its ``AppConfig.ready``;
an entry appears for a user when its ``visible`` check says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from accounts.models import User


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    section: str
    # A URL name, or for entries whose page depends on the user, a function of the user.
    url: str | Callable[[User], str]
    visible: Callable[[User], bool]
    order: int
    # Paths that belong to the entry (it is marked current there); the URL itself if empty.
    prefixes: tuple[str, ...] = field(default=())

    def url_for(self, user: User) -> str:
        return reverse(self.url(user) if callable(self.url) else self.url)


_ITEMS: dict[str, NavItem] = {}


def register_navigation(*items: NavItem) -> None:
    """Add or replace entries (by section); called from ``AppConfig.ready``."""
    for item in items:
        _ITEMS[item.section] = item


def navigation_for(user: User, path: str) -> list[dict[str, Any]]:
    """The entries the user may use, in order, each marked whether ``path`` is inside it."""
    entries = []
    for item in sorted(_ITEMS.values(), key=lambda i: i.order):
        if not item.visible(user):
            continue
        url = item.url_for(user)
        current = path.startswith(item.prefixes) if item.prefixes else path == url
        entries.append(
            {"label": item.label, "url": url, "section": item.section, "current": current}
        )
    return entries
