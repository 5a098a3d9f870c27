# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The assignment notice names the channel and links to the item; it quotes nothing the
citizen wrote (notifications are kept, retention does not reach them)."""

from __future__ import annotations

from accounts.models import Notification
from accounts.models import Role
from accounts.notifications import notification_render
from moderation.inbox.services import inbox_item_assign
from tests.conftest import Org
from tests.conftest import People
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.inbox.conftest import make_item
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

SECRET = "Ich wohne in der Hauptstraße 5, Erika Mustermann"


def _notice(org: Org, people: People) -> Notification:
    colleague = UserFactory(roles=[(org.city, Role.COMMUNITY_MANAGER)])
    item = make_item(org.press_channel, text=SECRET)
    inbox_item_assign(actor=people.community_manager, item=item, assignee=colleague)
    return Notification.objects.get(kind="moderation.assigned")


def test_the_notice_stores_nothing_of_the_item(org: Org, people: People) -> None:
    assert "Hauptstraße" not in repr(_notice(org, people).context)


def test_the_notice_names_the_channel_and_links_to_the_item(org: Org, people: People) -> None:
    rendered = notification_render(_notice(org, people), language="en")
    assert org.press_channel.name in rendered.text
    assert "/moderation/inbox/" in rendered.text
