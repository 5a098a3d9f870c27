# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.moderation.factories import NetiquetteFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_factories_build_an_item_and_a_netiquette(org, people: People) -> None:
    item = InboxItemFactory(channel=org.press_channel)
    netiquette = NetiquetteFactory(unit=org.press)
    assert item.author.channel_id == org.press_channel.pk
    assert netiquette.rules.count() == 3


def test_community_manager_sees_the_inbox_in_the_navigation(client, people: People) -> None:
    response = login(client, people.community_manager).get("/moderation/inbox/")
    assert response.status_code == 200
    assert b'href="/moderation/inbox/"' in response.content
