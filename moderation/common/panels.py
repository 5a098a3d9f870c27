"""Panels of the conversation view, contributed by the features.

The inbox owns the conversation page but knows nothing of replies, moderation actions,
evidence or flags: each feature registers a panel (a template and a function that builds its
context for one item and user) in ``moderation.registrations``, and the page renders the
panels the user may see, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accounts.models import User
from moderation.models import InboxItem


@dataclass(frozen=True)
class ItemPanel:
    name: str
    template: str
    # The panel's context for this item and user, or None when the user may not see it.
    context: Callable[[User, InboxItem], dict[str, Any] | None]
    order: int


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    template: str
    context: dict[str, Any]


_PANELS: dict[str, ItemPanel] = {}


def register_item_panel(panel: ItemPanel) -> None:
    _PANELS[panel.name] = panel


def item_panels_for(user: User, item: InboxItem) -> list[RenderedPanel]:
    """The panels the user may see, in order. In the template:
    ``{% for panel in panels %}{% include panel.template with panel=panel.context %}``."""
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        context = panel.context(user, item)
        if context is not None:
            rendered.append(RenderedPanel(panel.name, panel.template, context))
    return rendered
