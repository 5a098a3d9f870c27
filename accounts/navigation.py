"""The main navigation, assembled from what each app registers at start-up.

accounts is the bottom layer: it cannot know the areas the apps above it add (Redaktionsplan,
Kanäle, Inbox, later Auswertung). Each app registers its entries in its ``AppConfig.ready``;
an entry appears for a user when its ``visible`` check says so. Entries are placed by
``NAV_ORDER``, which also keeps the place of areas not built yet: an app that builds one
registers it with its order, and until then there is no entry (never a dead link).

An entry may carry a badge (a count, e.g. posts waiting for my approval). Badges are drawn on
every page, so they must be cheap: each is a lazy queryset, and the badges of a page are all
counted in one query (``count_together``)."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from django.db.models import IntegerField
from django.db.models import QuerySet
from django.db.models import Subquery
from django.urls import reverse
from django.utils.functional import Promise

from accounts.models import User

# Where each area sits in the navigation, left to right. "analytics" is reserved for the
# Auswertung the analytics app will register once it is built.
NAV_ORDER: Mapping[str, int] = {
    "dashboard": 0,
    "planning": 10,
    "posts": 20,
    "approvals": 30,
    "media": 40,
    "post_templates": 50,
    "moderation": 60,
    "analytics": 70,
    "channels": 80,
    "crisis": 90,
    "manage": 100,
}


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
    # What the badge counts for the user (a lazy queryset: it is counted with the page's
    # other badges in one query); no badge if None.
    badge: Callable[[User], QuerySet[Any]] | None = None

    def url_for(self, user: User) -> str:
        return reverse(self.url(user) if callable(self.url) else self.url)


@dataclass(frozen=True)
class NavAction:
    """A prominent button in the page header, on every page (e.g. "New post")."""

    label: str | Promise
    name: str
    url: str  # a URL name
    visible: Callable[[User], bool]
    order: int


_ITEMS: dict[str, NavItem] = {}
_ACTIONS: dict[str, NavAction] = {}


def register_navigation(*items: NavItem) -> None:
    """Add or replace entries (by section); called from ``AppConfig.ready``."""
    for item in items:
        _ITEMS[item.section] = item


def register_nav_actions(*actions: NavAction) -> None:
    """Add or replace header buttons (by name); called from ``AppConfig.ready``."""
    for action in actions:
        _ACTIONS[action.name] = action


class _CountOf(Subquery):
    """``(SELECT COUNT(*) FROM (<queryset>))``: counts any queryset, also a grouped one,
    as one column of an outer query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def count_together(user: User, querysets: Mapping[str, QuerySet[Any]]) -> dict[str, int]:
    """The number of rows of each queryset, all in one query (the user's own row carries
    one counted column per queryset)."""
    if not querysets:
        return {}
    # Column names of their own: a badge's name may be a field of User ("notifications").
    columns = {f"count_{i}": qs.order_by().values("pk") for i, qs in enumerate(querysets.values())}
    row = (
        User.objects.filter(pk=user.pk)
        .values(**{column: _CountOf(qs) for column, qs in columns.items()})
        .first()
    )
    return {
        name: int(row[column]) if row else 0
        for name, column in zip(querysets, columns, strict=True)
    }


def navigation_for(
    user: User, path: str, counts: Mapping[str, int] | None = None
) -> list[dict[str, Any]]:
    """The entries the user may use, in order, each marked whether ``path`` is inside it:
    ``current`` is the ``aria-current`` token, "page" on the entry's own page, "true" on
    another page of its area (one page has one "page"; "New post" is one itself), "" outside.

    ``counts``: the badges, by section, as ``visible_badges`` and ``count_together`` give them
    (without: entries carry no count)."""
    entries = []
    for item in sorted(_ITEMS.values(), key=lambda i: i.order):
        if not item.visible(user):
            continue
        url = item.url_for(user)
        if path == url:
            current = "page"
        elif item.prefixes and path.startswith(item.prefixes):
            current = "true"
        else:
            current = ""
        entries.append(
            {
                "label": item.label,
                "url": url,
                "section": item.section,
                "current": current,
                "badge": (counts or {}).get(item.section, 0),
            }
        )
    return entries


def visible_badges(user: User) -> dict[str, QuerySet[Any]]:
    """What the badges of the entries the user sees count, by section (not yet counted)."""
    return {
        item.section: item.badge(user)
        for item in _ITEMS.values()
        if item.badge is not None and item.visible(user)
    }


def nav_actions_for(user: User, path: str) -> list[dict[str, Any]]:
    actions = []
    for action in sorted(_ACTIONS.values(), key=lambda a: a.order):
        if action.visible(user):
            url = reverse(action.url)
            actions.append({"label": action.label, "url": url, "current": path == url})
    return actions
