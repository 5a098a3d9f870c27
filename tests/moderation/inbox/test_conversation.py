# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The conversation page of one item: the item, our post, the thread, the author's history,
notes, revisions, flags, panels of other features, presence; opening moves NEW to OPEN."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.models import User
from moderation.common import panels
from moderation.inbox.presence import PRESENCE_SECONDS
from moderation.inbox.presence import presence_touch
from moderation.inbox.presence import presence_viewers
from moderation.models import InboxItem
from moderation.models import InternalNote
from moderation.models import ItemRevision
from tests.conftest import Org
from tests.conftest import People
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.inbox.conftest import S
from tests.moderation.inbox.conftest import audit_actions
from tests.moderation.inbox.conftest import flag
from tests.moderation.inbox.conftest import make_item
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ClientFor = Callable[[User], Client]


def _url(item: InboxItem) -> str:
    return f"/moderation/inbox/{item.pk}/"


def _page(client: Client, item: InboxItem) -> str:
    response = client.get(_url(item))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_conversation_shows_the_whole_text(
    org: Org, people: People, client_for: ClientFor
) -> None:
    item = make_item(org.press_channel, text="Warum ist die Brücke gesperrt?")
    assert "Warum ist die Brücke gesperrt?" in _page(client_for(people.auditor), item)


def test_a_community_manager_opening_a_new_item_opens_it(
    org: Org, people: People, client_for: ClientFor
) -> None:
    item = make_item(org.press_channel)
    _page(client_for(people.community_manager), item)
    item.refresh_from_db()
    assert item.status == S.OPEN
    assert audit_actions(item) == ["moderation.inbox.status_changed"]


def test_an_auditor_opening_a_new_item_leaves_it_new(
    org: Org, people: People, client_for: ClientFor
) -> None:
    item = make_item(org.press_channel)
    _page(client_for(people.auditor), item)
    item.refresh_from_db()
    assert item.status == S.NEW and audit_actions(item) == []


def test_opening_a_pending_item_leaves_its_status(
    org: Org, people: People, client_for: ClientFor
) -> None:
    item = make_item(org.press_channel, status=S.PENDING)
    _page(client_for(people.community_manager), item)
    item.refresh_from_db()
    assert item.status == S.PENDING


def test_the_conversation_shows_our_post(org: Org, people: People, client_for: ClientFor) -> None:
    from tests.editorial.crisis.conftest import make_post

    post = make_post(org, people, stage="approved")
    variant = post.variants.get()
    variant.remote_url = "https://sandbox.example/p/1"
    variant.save()
    item = make_item(org.press_channel, variant=variant)
    page = _page(client_for(people.community_manager), item)
    assert post.text in page and "https://sandbox.example/p/1" in page
    assert f"?variant={variant.pk}" in page


def test_the_conversation_shows_the_thread(org: Org, people: People, client_for: ClientFor) -> None:
    root = make_item(org.press_channel, minutes_ago=30, text="Erster Beitrag im Faden")
    item = make_item(org.press_channel, minutes_ago=20, parent=root, text="Die Mitte")
    child = make_item(org.press_channel, minutes_ago=10, parent=item, text="Eine Antwort darauf")
    page = _page(client_for(people.community_manager), item)
    assert "Erster Beitrag im Faden" in page and "Eine Antwort darauf" in page
    assert page.index("Erster Beitrag im Faden") < page.index("Eine Antwort darauf")
    assert _url(child) in page


def test_the_conversation_shows_the_authors_earlier_items(
    org: Org, people: People, client_for: ClientFor
) -> None:
    item = make_item(org.press_channel, minutes_ago=5)
    make_item(org.press_channel, minutes_ago=50, author=item.author, text="Schon einmal gefragt")
    make_item(org.press_channel, minutes_ago=60, text="Jemand anderes")
    page = _page(client_for(people.community_manager), item)
    assert "Schon einmal gefragt" in page and "Jemand anderes" not in page


def test_the_conversation_shows_notes_revisions_and_flags(
    org: Org, people: People, client_for: ClientFor
) -> None:
    item = make_item(org.press_channel, status=S.OPEN)
    InternalNote.objects.create(item=item, author=people.community_manager, text="Rückfrage Amt 32")
    ItemRevision.objects.create(
        item=item, change=ItemRevision.Change.EDITED, previous_text="Alte Fassung"
    )
    flag(item, explanation="Enthält das Wort „Depp“.")
    page = _page(client_for(people.community_manager), item)
    assert "Rückfrage Amt 32" in page
    assert "Alte Fassung" in page
    assert "Enthält das Wort „Depp“." in page or "Enthält das Wort &bdquo;Depp&ldquo;." in page


def test_a_flag_is_explained_once_in_the_flags_panel(
    org: Org, people: People, client_for: ClientFor
) -> None:
    item = make_item(org.press_channel, status=S.OPEN)
    flag(item, explanation="Enthält das Wort Depp.")
    page = _page(client_for(people.community_manager), item)
    assert page.count("Enthält das Wort Depp.") == 1
    assert 'class="card moderation-flags"' in page


def test_a_note_is_added_from_the_page(org: Org, people: People, client_for: ClientFor) -> None:
    item = make_item(org.press_channel, status=S.OPEN)
    response = client_for(people.community_manager).post(
        f"{_url(item)}notes/", {"text": "Mit dem Ordnungsamt klären"}
    )
    assert response.status_code == 302
    assert item.notes.get().text == "Mit dem Ordnungsamt klären"
    assert audit_actions(item) == ["moderation.inbox.note_added"]


def test_an_empty_note_is_refused_on_the_form(
    org: Org, people: People, client_for: ClientFor
) -> None:
    item = make_item(org.press_channel, status=S.OPEN)
    response = client_for(people.community_manager).post(f"{_url(item)}notes/", {"text": "   "})
    assert response.status_code == 400
    assert response.context["note_form"].errors
    assert not item.notes.exists()


@pytest.fixture
def demo_panel() -> Iterator[None]:
    panels.register_item_panel(
        panels.ItemPanel(
            name="test-demo",
            template="moderation/inbox/tests/_demo_panel.html",
            context=lambda user, item: {"greeting": f"Panel für {item.pk}"},
            order=999,
        )
    )
    yield
    panels._PANELS.pop("test-demo", None)


def test_the_panels_of_other_features_are_rendered(
    org: Org, people: People, client_for: ClientFor, demo_panel: None, settings: Any, tmp_path: Any
) -> None:
    folder = tmp_path / "moderation" / "inbox" / "tests"
    folder.mkdir(parents=True)
    (folder / "_demo_panel.html").write_text(
        '<section id="demo-panel">{{ panel.greeting }}</section>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    item = make_item(org.press_channel)
    assert f'<section id="demo-panel">Panel für {item.pk}</section>' in _page(
        client_for(people.community_manager), item
    )


def test_others_looking_at_the_item_are_named_at_page_load(
    org: Org, people: People, client_for: ClientFor
) -> None:
    colleague = UserFactory(full_name="Kim Kollegin")
    item = make_item(org.press_channel)
    presence_touch(item_id=item.pk, user=colleague)
    page = _page(client_for(people.community_manager), item)
    assert "Kim Kollegin" in page


def test_the_viewer_is_not_named_to_themselves(
    org: Org, people: People, client_for: ClientFor
) -> None:
    item = make_item(org.press_channel)
    page = _page(client_for(people.community_manager), item)
    assert (
        people.community_manager.get_full_name()
        not in page.split('id="presence"')[1].split("</div>")[0]
    )


def test_the_presence_endpoint_refreshes_and_names_the_others(
    org: Org, people: People, client_for: ClientFor
) -> None:
    item = make_item(org.press_channel)
    client_for(people.auditor).post(f"{_url(item)}presence/")
    answer = client_for(people.community_manager).post(f"{_url(item)}presence/").json()
    assert answer["viewers"] == [people.auditor.get_full_name()]


def test_closing_the_page_ends_presence(org: Org, people: People, client_for: ClientFor) -> None:
    item = make_item(org.press_channel)
    auditor = client_for(people.auditor)
    auditor.post(f"{_url(item)}presence/")
    assert auditor.delete(f"{_url(item)}presence/").status_code == 200
    assert presence_viewers(item_id=item.pk) == []


def test_presence_ends_when_its_key_expires(org: Org, people: People) -> None:
    item = make_item(org.press_channel)
    presence_touch(item_id=item.pk, user=people.auditor)
    assert presence_viewers(item_id=item.pk) == [people.auditor.get_full_name()]
    # What Redis does after PRESENCE_SECONDS without a refresh:
    cache.delete(f"moderation:inbox:presence:{item.pk}:{people.auditor.pk}")
    assert presence_viewers(item_id=item.pk) == []


def test_presence_keys_expire_after_a_minute(org: Org, people: People) -> None:
    item = make_item(org.press_channel)
    presence_touch(item_id=item.pk, user=people.auditor)
    key = cache.make_and_validate_key(f"moderation:inbox:presence:{item.pk}:{people.auditor.pk}")
    ttl = cache._cache.get_client(key).ttl(key)  # type: ignore[attr-defined]
    assert 0 < ttl <= PRESENCE_SECONDS


def test_the_conversation_loads_its_script_from_a_file(
    org: Org, people: People, client_for: ClientFor
) -> None:
    page = _page(client_for(people.community_manager), make_item(org.press_channel))
    assert '<script src="/static/moderation/inbox-presence.js"></script>' in page
    assert "<script>" not in page and "style=" not in page


def test_a_breached_deadline_is_shown_in_the_conversation(
    org: Org, people: People, client_for: ClientFor
) -> None:
    item = make_item(org.press_channel, response_due_at=timezone.now() - timedelta(hours=1))
    assert "sla sla--breached" in _page(client_for(people.auditor), item)
