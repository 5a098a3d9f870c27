# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""A post's content warning (Mastodon's spoiler text): in the form only where a chosen channel
shows one, in the API, in the preview as the collapsed header, counted on Mastodon channels,
part of what an approval binds, and what the publishing engine hands to the adapter."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import AuditEntry
from channels_app.models import Channel
from channels_app.models import Platform
from editorial.common.content import post_content_hash
from editorial.models import Post
from editorial.models import PostVariant
from editorial.posts.preview import post_preview
from editorial.posts.services import post_update
from editorial.publishing.engine import _claimed
from editorial.publishing.engine import _content
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.factories import ChannelFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

WARNING = "Hochwasser"


@pytest.fixture
def mastodon(org: Org) -> Channel:
    return ChannelFactory(
        name="Stadt auf Mastodon",
        platform=Platform.MASTODON,
        unit=org.press,
        base_url="https://social.musterstadt.example",
    )


@pytest.fixture
def on_mastodon_and_sandbox(org: Org, mastodon: Channel, make_draft: Callable[..., Post]) -> Post:
    return make_draft(
        text="Pegel steigt.", content_warning=WARNING, channels=[mastodon, org.press_channel]
    )


# --- What an approval binds ----------------------------------------------------------------


def test_the_content_warning_is_part_of_the_content_hash(make_draft: Callable[..., Post]) -> None:
    post = make_draft()
    without = post_content_hash(post)
    Post.objects.filter(pk=post.pk).update(content_warning=WARNING)
    post.refresh_from_db()
    assert post_content_hash(post) != without
    # Empty again: the hash of a post without one is the hash it always had.
    Post.objects.filter(pk=post.pk).update(content_warning="")
    post.refresh_from_db()
    assert post_content_hash(post) == without


def test_a_changed_content_warning_returns_an_approved_post_to_review(
    people: People, approved: Post
) -> None:
    post_update(actor=people.editor, post=approved, content_warning=WARNING)
    post = Post.objects.get(pk=approved.pk)
    assert post.status == Post.Status.IN_REVIEW
    assert post.approved_hash == ""
    assert not post.approvals.filter(is_current=True).exists()


def test_a_changed_content_warning_is_audited_before_and_after(
    people: People, make_draft: Callable[..., Post]
) -> None:
    post = make_draft()
    post_update(actor=people.editor, post=post, content_warning=WARNING)
    entry = AuditEntry.objects.filter(action="editorial.post.updated").latest("pk")
    assert entry.data["before"]["content_warning"] == ""
    assert entry.data["after"]["content_warning"] == WARNING


def test_the_publishing_engine_hands_the_content_warning_to_the_adapter(
    mastodon: Channel, on_mastodon_and_sandbox: Post
) -> None:
    variant = PostVariant.objects.get(post=on_mastodon_and_sandbox, channel=mastodon)
    assert _content(_claimed(variant.pk)).spoiler_text == WARNING


# --- Counting and preview ------------------------------------------------------------------


def test_the_content_warning_counts_on_mastodon_only(
    mastodon: Channel, on_mastodon_and_sandbox: Post
) -> None:
    lengths = {
        c.variant.channel_id: c.count.length for c in post_preview(on_mastodon_and_sandbox).channels
    }
    assert lengths[mastodon.pk] == len("Pegel steigt.") + len(WARNING)
    assert len(lengths) == 2
    assert set(lengths.values()) == {len("Pegel steigt.") + len(WARNING), len("Pegel steigt.")}


def test_the_preview_shows_the_warning_as_the_collapsed_header_on_mastodon_only(
    org: Org, people: People, mastodon: Channel, on_mastodon_and_sandbox: Post
) -> None:
    html = (
        login(Client(), people.editor)
        .get(f"/editorial/posts/{on_mastodon_and_sandbox.pk}/")
        .content.decode()
    )
    assert html.count('<details class="channel-preview__warning" data-content-warning>') == 1
    assert f'<span class="channel-preview__warning-text">{WARNING}</span>' in html
    previews = {c.variant.channel_id: c for c in post_preview(on_mastodon_and_sandbox).channels}
    assert previews[mastodon.pk].content_warning == WARNING
    assert previews[org.press_channel.pk].content_warning == ""


# --- The editor ----------------------------------------------------------------------------


def _live_check(client: Client, org: Org, channel: Channel, **data: Any) -> dict[str, Any]:
    return client.post(
        "/editorial/posts/preview/",
        {"unit": org.press.pk, "text": "Pegel steigt.", "channels": [channel.pk], **data},
    ).json()


def test_the_live_check_offers_the_field_while_a_mastodon_channel_is_chosen(
    org: Org, people: People, mastodon: Channel
) -> None:
    client = login(Client(), people.editor)
    assert _live_check(client, org, mastodon)["content_warning"] is True
    assert _live_check(client, org, org.press_channel)["content_warning"] is False


def test_the_live_check_counts_the_content_warning(
    org: Org, people: People, mastodon: Channel
) -> None:
    client = login(Client(), people.editor)
    (channel,) = _live_check(client, org, mastodon, content_warning=WARNING)["channels"]
    assert channel["length"] == len("Pegel steigt.") + len(WARNING)


def test_the_post_form_saves_the_content_warning(
    org: Org, people: People, mastodon: Channel
) -> None:
    client = login(Client(), people.editor)
    page = client.get("/editorial/posts/new/").content.decode()
    assert 'name="content_warning"' in page and "data-content-warning" in page
    response = client.post(
        "/editorial/posts/new/",
        {
            "unit": org.press.pk,
            "title": "Pegel",
            "text": "Pegel steigt.",
            "channels": [mastodon.pk],
            "content_warning": WARNING,
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(title="Pegel")
    assert post.content_warning == WARNING
    edit = client.get(f"/editorial/posts/{post.pk}/edit/").content.decode()
    assert f'value="{WARNING}"' in edit


# --- API -----------------------------------------------------------------------------------


def test_the_api_takes_and_gives_the_content_warning(
    org: Org, people: People, mastodon: Channel, api_client_for: Callable[..., Any]
) -> None:
    api = api_client_for(people.editor)
    created = api.post(
        "/api/v1/posts/",
        {
            "unit": org.press.pk,
            "title": "Pegel",
            "text": "Pegel steigt.",
            "channels": [mastodon.pk],
            "content_warning": WARNING,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["content_warning"] == WARNING
    pk = created.json()["id"]
    changed = api.patch(f"/api/v1/posts/{pk}/", {"content_warning": ""}, format="json")
    assert changed.status_code == 200
    assert Post.objects.get(pk=pk).content_warning == ""
    preview = api.get(f"/api/v1/posts/{pk}/preview/").json()
    assert preview["channels"][0]["content_warning"] == ""


def test_the_api_refuses_a_content_warning_over_its_length(
    org: Org, people: People, mastodon: Channel, api_client_for: Callable[..., Any]
) -> None:
    response = api_client_for(people.editor).post(
        "/api/v1/posts/",
        {
            "unit": org.press.pk,
            "title": "Pegel",
            "channels": [mastodon.pk],
            "content_warning": "x" * 1001,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "content_warning" in str(response.json())


def test_the_post_form_marks_the_channels_that_show_a_content_warning(
    org: Org, people: People, mastodon: Channel
) -> None:
    """static/js/editor.js shows the field from these marks at once, before any live check."""
    page = login(Client(), people.editor).get("/editorial/posts/new/").content.decode()
    boxes = re.findall(r'<input type="checkbox" name="channels"[^>]*>', page)
    marked = [box for box in boxes if "data-content-warning-channel" in box]
    assert len(boxes) > 1
    assert len(marked) == 1 and f'value="{mastodon.pk}"' in marked[0]
