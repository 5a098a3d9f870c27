# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The per-channel preview of the post page and the approval view: the text in segments, the
length as each platform counts it, the channel's warnings, images with their alt text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from channels_app.models import Platform
from editorial.common.content import post_content_hash
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostVariant
from editorial.posts.preview import Segment
from editorial.posts.preview import post_preview
from editorial.posts.preview import text_lines
from editorial.posts.preview import text_segments
from editorial.posts.services import post_create
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import MediaAssetFactory
from tests.editorial.media.conftest import status_of
from tests.factories import ChannelFactory
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

URL = "https://www.musterstadt.de/buergerbuero"


# --- Segments -------------------------------------------------------------------------------


def test_links_hashtags_and_mentions_are_segments_of_their_own() -> None:
    text = f"Neu: {URL} #Bürgerbüro mit @presse@social.musterstadt.de"
    assert text_segments(text) == [
        Segment("plain", "Neu: "),
        Segment("link", URL),
        Segment("plain", " "),
        Segment("hashtag", "#Bürgerbüro"),
        Segment("plain", " mit "),
        Segment("mention", "@presse@social.musterstadt.de"),
    ]


def test_a_hashtag_inside_a_link_stays_part_of_the_link() -> None:
    assert text_segments(f"{URL}#oeffnungszeiten") == [Segment("link", f"{URL}#oeffnungszeiten")]


def test_the_segments_give_back_the_text_unchanged() -> None:
    text = "A <b>fett</b> & #Tag @amt https://x.example/?a=1&b=2 — 🎉"
    assert "".join(s.text for s in text_segments(text)) == text


def test_only_links_have_an_address() -> None:
    segments = text_segments(f"#Tag {URL}")
    assert [s.href for s in segments] == ["", "", URL]


def test_lines_keep_the_line_breaks() -> None:
    assert [[s.text for s in line] for line in text_lines("Eins\n\nZwei")] == [
        ["Eins"],
        [],
        ["Zwei"],
    ]


# --- Counting and warnings per platform ------------------------------------------------------


@pytest.fixture
def on_three_platforms(org: Org, people: People, make_draft: Callable[..., Post]) -> Post:
    channels = [
        ChannelFactory(name="X", platform=Platform.X, unit=org.press),
        ChannelFactory(name="Mastodon", platform=Platform.MASTODON, unit=org.press),
        ChannelFactory(name="Bluesky", platform=Platform.BLUESKY, unit=org.press),
    ]
    return make_draft(text=f"Neu 👩‍👩‍👧: {URL}", channels=channels)


def _counts(post: Post) -> dict[str, int]:
    return {c.variant.channel.name: c.count.length for c in post_preview(post).channels}


def test_each_channel_is_counted_as_its_platform_counts(on_three_platforms: Post) -> None:
    # "Neu " + one family emoji + ": " + the URL (X and Mastodon count it as 23).
    assert _counts(on_three_platforms) == {
        "X": 4 + 2 + 2 + 23,  # an emoji sequence weighs two
        "Mastodon": 4 + 1 + 2 + 23,
        "Bluesky": 4 + 1 + 2 + len(URL),  # graphemes, the URL in full
    }


def test_a_text_too_long_for_one_platform_warns_on_that_channel_only(
    org: Org, make_draft: Callable[..., Post]
) -> None:
    x = ChannelFactory(name="X", platform=Platform.X, unit=org.press)
    bluesky = ChannelFactory(name="Bluesky", platform=Platform.BLUESKY, unit=org.press)
    post = make_draft(text="a" * 290, channels=[x, bluesky])
    previews = {c.variant.channel.name: c for c in post_preview(post).channels}
    assert previews["X"].over_limit
    assert [p.code for p in previews["X"].problems] == ["text_too_long"]
    assert not previews["Bluesky"].over_limit
    assert previews["Bluesky"].problems == []


def test_a_channel_with_its_own_text_shows_that_text(
    org: Org, make_draft: Callable[..., Post]
) -> None:
    post = make_draft(channels=[org.press_channel])
    PostVariant.objects.filter(post=post).update(text_override="Nur hier #Tag")
    (channel,) = post_preview(post).channels
    assert channel.own_text
    assert [s.text for s in channel.lines[0]] == ["Nur hier ", "#Tag"]


@pytest.mark.parametrize("channels", [1, 4])
def test_the_preview_reads_the_same_few_rows_however_many_channels(
    org: Org,
    channels: int,
    make_image: Callable[..., MediaAsset],
    make_draft: Callable[..., Post],
    django_assert_num_queries: Any,
) -> None:
    image = make_image(alt_text="Das Rathaus")
    post = make_draft(
        channels=[ChannelFactory(unit=org.press) for _ in range(channels)], media_ids=[image.pk]
    )
    with django_assert_num_queries(3):  # the post's media, the variants, their own media
        post_preview(post)


# --- Images ---------------------------------------------------------------------------------


def test_images_come_with_their_alt_text_and_the_permission_checked_thumbnail(
    make_image: Callable[..., MediaAsset], make_draft: Callable[..., Post]
) -> None:
    image = make_image(alt_text="Das Rathaus im Sonnenschein")
    (channel,) = post_preview(make_draft(media_ids=[image.pk])).channels
    (medium,) = channel.media
    assert medium.alt_text == "Das Rathaus im Sonnenschein"
    assert medium.thumbnail_url == reverse("media:thumbnail", args=[image.pk])


def test_the_preview_names_the_hash_an_approval_binds(make_draft: Callable[..., Post]) -> None:
    post = make_draft()
    preview = post_preview(post)
    assert preview.content_hash == post_content_hash(post)
    assert preview.short_hash == preview.content_hash[:12]


@pytest.fixture
def social_post_with_press_image(org: Org, people: People) -> tuple[Post, MediaAsset]:
    """A post of the Social-Media-Team with an image of the Presseamt above it."""
    image = MediaAssetFactory(unit=org.press, alt_text="Das Rathaus im Sonnenschein")
    post = post_create(
        actor=people.editor,
        unit=org.social,
        title="Sprechstunde",
        text="Sprechstunde am Freitag",
        channels=[org.social_channel],
        media_ids=[image.pk],
    )
    return post, image


def test_an_approver_below_the_images_unit_sees_the_thumbnail_of_a_post_they_review(
    org: Org,
    social_post_with_press_image: tuple[Post, MediaAsset],
    client_for: Callable[..., Client],
) -> None:
    _post, image = social_post_with_press_image
    approver = UserFactory(roles=[(org.social, Role.APPROVER)])
    client = client_for(approver)
    assert status_of(client, f"/editorial/media/{image.pk}/thumbnail/") == 200
    # Still not in their library.
    assert status_of(client, f"/editorial/media/{image.pk}/") == 404


def test_an_image_in_no_visible_post_stays_hidden(
    org: Org, client_for: Callable[..., Client]
) -> None:
    image = MediaAssetFactory(unit=org.press)
    approver = UserFactory(roles=[(org.social, Role.APPROVER)])
    assert status_of(client_for(approver), f"/editorial/media/{image.pk}/thumbnail/") == 404


# --- On the page ----------------------------------------------------------------------------


def test_hostile_text_stays_escaped_on_the_post_page(
    people: People, make_draft: Callable[..., Post], client_for: Callable[..., object]
) -> None:
    post = make_draft(text='<script>alert("x")</script> #Tag <img src=x onerror=alert(1)>')
    html = client_for(people.editor).get(f"/editorial/posts/{post.pk}/").content.decode()  # type: ignore[attr-defined]
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<span class="segment segment--hashtag">#Tag</span>' in html


def test_the_post_page_shows_one_preview_per_channel_with_thumbnails(
    org: Org,
    people: People,
    make_image: Callable[..., MediaAsset],
    make_draft: Callable[..., Post],
    client_for: Callable[..., object],
) -> None:
    image = make_image(alt_text="Das Rathaus im Sonnenschein")
    post = make_draft(channels=[org.press_channel, org.social_channel], media_ids=[image.pk])
    html = client_for(people.editor).get(f"/editorial/posts/{post.pk}/").content.decode()  # type: ignore[attr-defined]
    assert html.count('class="card channel-preview"') == 2
    thumbnail = (
        f'<img src="/editorial/media/{image.pk}/thumbnail/" alt="Das Rathaus im Sonnenschein"'
    )
    assert html.count(thumbnail) == 2


# --- API ------------------------------------------------------------------------------------


def test_the_api_gives_each_channels_preview_and_the_hash_to_approve(
    people: People,
    make_image: Callable[..., MediaAsset],
    make_draft: Callable[..., Post],
    client_for: Callable[..., Client],
) -> None:
    image = make_image(alt_text="Das Rathaus im Sonnenschein")
    post = make_draft(text="Neu #Tag", media_ids=[image.pk])
    body = client_for(people.approver).get(f"/api/v1/posts/{post.pk}/preview/").json()
    assert body["content_hash"] == post_content_hash(post)
    (channel,) = body["channels"]
    assert channel["lines"] == [
        [{"kind": "plain", "text": "Neu "}, {"kind": "hashtag", "text": "#Tag"}]
    ]
    assert channel["media"][0]["alt_text"] == "Das Rathaus im Sonnenschein"
    assert channel["length"] == len("Neu #Tag")
