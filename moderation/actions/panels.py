"""The actions panel of the conversation view: the item's decisions for every reader, the
decision form for community managers."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from moderation.actions.forms import ActionForm
from moderation.actions.permissions import user_may_act
from moderation.actions.permissions import user_may_read_actions
from moderation.actions.selectors import action_options
from moderation.actions.selectors import actions_for_item
from moderation.actions.selectors import rules_for_item
from moderation.common.panels import ItemPanel
from moderation.models import InboxItem
from moderation.netiquette.selectors import public_netiquette_path


def actions_panel_context(
    user: User, item: InboxItem, form: ActionForm | None = None
) -> dict[str, Any] | None:
    if not user_may_read_actions(user, item):
        return None
    context: dict[str, Any] = {
        "item": item,
        "decisions": list(actions_for_item(item)),
        "may_act": user_may_act(user, item),
    }
    if context["may_act"]:
        rules = list(rules_for_item(item))
        context["rules"] = rules
        if rules:
            netiquette = rules[0].netiquette
            context["netiquette"] = netiquette
            context["netiquette_url"] = public_netiquette_path(
                netiquette.unit_id, netiquette.version
            )
        context["options"] = action_options(item, has_rules=bool(rules))
        context["form"] = form or ActionForm(item=item)
    return context


PANEL = ItemPanel(
    name="actions",
    template="moderation/actions/_panel.html",
    context=actions_panel_context,
    order=30,
)
