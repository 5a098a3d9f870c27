# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""What an approval pins: the content hash covers media with their alt text and the channels'
own texts, and the publishing engine computes it from exactly the rows it read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from editorial.common.content import post_content_hash
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostVariant
from editorial.posts.services import post_approve
from editorial.posts.services import post_update
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ALT_TEXT = "Das Rathaus von Musterstadt im Sonnenschein"


def test_a_changed_alt_text_no_longer_matches_the_approved_hash(
    people: People, make_image: Callable[..., MediaAsset], make_in_review: Callable[..., Post]
) -> None:
    image = make_image(alt_text=ALT_TEXT)
    post = make_in_review(media_ids=[image.pk])
    post_approve(actor=people.approver, post=post)
    MediaAsset.objects.filter(pk=image.pk).update(alt_text="Ein anderes Bild")
    # The hash covers alt text: the approved content no longer matches.
    assert post_content_hash(post) != Post.objects.get(pk=post.pk).approved_hash


# --- The engine's read ----------------------------------------------------------------------


@pytest.fixture
def image(make_image: Callable[..., MediaAsset]) -> MediaAsset:
    return make_image(alt_text=ALT_TEXT)


@pytest.fixture
def on_two_channels(
    org: Org, people: People, image: MediaAsset, make_in_review: Callable[..., Post]
) -> Post:
    """In review with an image, on two channels, one of them with its own text."""
    post = make_in_review(media_ids=[image.pk])
    post_update(
        actor=people.editor,
        post=Post.objects.get(pk=post.pk),
        channels=[org.press_channel, org.social_channel],
    )
    PostVariant.objects.filter(post=post, channel=org.social_channel).update(
        text_override="Nur hier: Freitag bis 18 Uhr!"
    )
    return Post.objects.get(pk=post.pk)


@pytest.fixture
def claimed(org: Org, on_two_channels: Post) -> Any:
    """What the publishing engine reads with the claimed variant."""
    from editorial.publishing.engine import _claimed

    return _claimed(PostVariant.objects.get(post=on_two_channels, channel=org.social_channel).pk)


def _engine_hash(claimed: Any) -> str:
    return post_content_hash(
        claimed.variant.post, post_media=claimed.post_media, variants=claimed.variants
    )


def test_the_engines_read_holds_the_posts_media_and_every_variant(
    image: MediaAsset, claimed: Any
) -> None:
    assert [pm.asset_id for pm in claimed.post_media] == [image.pk]
    assert len(claimed.variants) == 2


def test_the_content_hash_from_the_engines_reads_equals_the_one_read_afresh(
    on_two_channels: Post, claimed: Any
) -> None:
    """The publishing engine hashes from what it read with the claimed variant; it must pin
    exactly what the approver approved, media, alt text and channel texts included."""
    assert _engine_hash(claimed) == post_content_hash(on_two_channels)


def test_a_change_after_the_engines_read_is_seen_only_by_a_fresh_read(
    image: MediaAsset, on_two_channels: Post, claimed: Any
) -> None:
    """Why the engine passes the rows it read: what changed since is not what it sends."""
    fresh = post_content_hash(on_two_channels)
    MediaAsset.objects.filter(pk=image.pk).update(alt_text="Ein anderes Bild")
    assert _engine_hash(claimed) == fresh
    assert post_content_hash(Post.objects.get(pk=on_two_channels.pk)) != fresh
