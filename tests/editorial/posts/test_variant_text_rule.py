# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""One rule for a channel's own text, whichever way it is saved: the post's text sent back
unchanged (as the edit form pre-fills it) means "no channel-specific text", so later edits of
the post still reach that channel.

Failing first: the rule lived only in the page's view; the API stored the post's text as the
channel's own text, and the channel then kept the old wording after the post was corrected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import User
from editorial.models import PostVariant
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

TEXT = "Heute bis 36 Grad: Bitte viel trinken und Schatten suchen."


def _variant(api: Any, org: Org) -> PostVariant:
    created = api.post(
        "/api/v1/posts/",
        {"unit": org.press.pk, "title": "Hitze", "text": TEXT, "channels": [org.press_channel.pk]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    return PostVariant.objects.get(post_id=created.json()["id"])


def _save_through_the_page(client: Any, variant: PostVariant, text: str) -> None:
    response = client.post(
        f"/editorial/posts/{variant.post_id}/variants/{variant.pk}/", {"text_override": text}
    )
    assert response.status_code == 302


def _save_through_the_api(api: Any, variant: PostVariant, text: str) -> None:
    response = api.patch(
        f"/api/v1/posts/{variant.post_id}/variants/{variant.pk}/",
        {"text_override": text, "media_override": False},
        format="json",
    )
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("sent", [TEXT, f"  {TEXT}\n"])
def test_the_posts_own_text_saved_as_channel_text_is_stored_alike_by_page_and_api(
    org: Org,
    people: People,
    client_for: Callable[[User], Any],
    api_client_for: Callable[[User], Any],
    sent: str,
) -> None:
    api = api_client_for(people.editor)
    through_page, through_api = _variant(api, org), _variant(api, org)

    _save_through_the_page(client_for(people.editor), through_page, sent)
    _save_through_the_api(api, through_api, sent)

    through_page.refresh_from_db()
    through_api.refresh_from_db()
    assert through_page.text_override == through_api.text_override == ""


def test_a_real_channel_text_is_stored_alike_by_page_and_api(
    org: Org,
    people: People,
    client_for: Callable[[User], Any],
    api_client_for: Callable[[User], Any],
) -> None:
    api = api_client_for(people.editor)
    through_page, through_api = _variant(api, org), _variant(api, org)

    _save_through_the_page(client_for(people.editor), through_page, "Kurz: 36 Grad.")
    _save_through_the_api(api, through_api, "Kurz: 36 Grad.")

    through_page.refresh_from_db()
    through_api.refresh_from_db()
    assert through_page.text_override == through_api.text_override == "Kurz: 36 Grad."
