"""The dashboard ("my work"), assembled from panels the apps register at start-up.

accounts owns the page but cannot know drafts, approvals, channels or the inbox: each app
registers its panels (a template and a function that builds the panel's context for the
user: a few counts and the top items, with links) in its ``AppConfig.ready``, the way it
registers its navigation entries. The page shows the panels whose function answers, in order.

A panel's function returns None when the panel is not the user's (by role); it reads through
its app's selectors, so counts cover the user's units only, and it runs a fixed number of
queries whatever the amount of data (the dashboard's query count is bounded in the tests)."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from django.utils.functional import Promise

from accounts.models import User

# How many items a panel lists below its counts: the rest is one click away, on the list the
# panel links to.
TOP_ITEMS = 5


@dataclass(frozen=True)
class DashboardPanel:
    name: str
    # Extends "dashboard/_panel.html" (heading, counts, items).
    template: str
    # The panel's context for the user, or None when the panel is not theirs.
    context: Callable[[User], PanelContext | None]
    order: int


@dataclass(frozen=True)
class PanelCount:
    label: str | Promise
    value: int
    url: str = ""
    # Shown as needing attention (failed, overdue) when not zero.
    alert: bool = False


@dataclass(frozen=True)
class PanelContext:
    title: str | Promise
    counts: Sequence[PanelCount] = ()
    # The panel's top items: whatever its template renders (posts, channels, entries).
    items: Sequence[Any] = ()
    more_url: str = ""
    more_label: str | Promise = ""
    empty_text: str | Promise = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    template: str
    context: PanelContext


_PANELS: dict[str, DashboardPanel] = {}


def register_dashboard_panels(*panels: DashboardPanel) -> None:
    """Add or replace panels (by name); called from ``AppConfig.ready``."""
    for panel in panels:
        _PANELS[panel.name] = panel


def dashboard_panels_for(user: User) -> list[RenderedPanel]:
    """The user's panels, in order. In the template:
    ``{% for panel in panels %}{% include panel.template with panel=panel.context %}``."""
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        context = panel.context(user)
        if context is not None:
            rendered.append(RenderedPanel(panel.name, panel.template, context))
    return rendered
