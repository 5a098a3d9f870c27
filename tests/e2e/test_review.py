"""Review with confidence, in the browser: the approver sees every channel as the citizen
will, images included, and approves exactly that; the author is told why there is no approve
button; a channel's own version has the editor's live count and starts from the post's text."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from accounts.models import Role
from editorial.common.content import post_content_hash
from editorial.models import Post
from editorial.models import PostVariant
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import submit
from tests.e2e.conftest import visit
from tests.editorial.factories import MediaAssetFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e]

ALT_TEXT = "Das Rathaus von Musterstadt im Sonnenschein"
TEXT = "Das Bürgerbüro hat am Freitag bis 18 Uhr geöffnet. #Bürgerbüro https://www.musterstadt.de/buergerbuero"


def _in_review(org: Org, author: object, **fields: object) -> Post:
    image = MediaAssetFactory(unit=org.press, alt_text=ALT_TEXT)
    post = post_create(
        actor=author,  # type: ignore[arg-type]
        unit=org.press,
        title="Bürgerbüro am Freitag",
        text=TEXT,
        channels=[org.press_channel, org.social_channel],
        media_ids=[image.pk],
        **fields,  # type: ignore[arg-type]
    )
    PostVariant.objects.filter(post=post, channel=org.social_channel).update(
        text_override="Freitag bis 18 Uhr: das Bürgerbüro. @presse@social.musterstadt.de"
    )
    return post_submit(actor=author, post=post)  # type: ignore[arg-type]


def test_the_approver_sees_each_channel_with_its_images_and_approves_it(
    page: Page, org: Org, people: People
) -> None:
    post = _in_review(org, people.editor)
    login(page, people.approver)
    visit(page, f"/editorial/posts/{post.pk}/")
    previews = page.locator(".channel-preview")
    expect(previews).to_have_count(2)
    expect(previews.filter(has_text=org.press_channel.name)).to_contain_text("#Bürgerbüro")
    expect(page.locator(".segment--mention")).to_have_text("@presse@social.musterstadt.de")
    thumbnails = page.locator(f".channel-preview img[alt='{ALT_TEXT}']")
    expect(thumbnails).to_have_count(2)
    # Served by the permission-checked media route, and loaded.
    thumbnails.first.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnails.first.element_handle()
    )
    expect(page.locator("#approval-scope")).to_contain_text(post_content_hash(post)[:12])
    submit(page, page.locator(f"form[action='/editorial/posts/{post.pk}/approve/'] button"))
    post.refresh_from_db()
    assert post.status == Post.Status.APPROVED  # no time planned yet


def test_the_author_is_told_why_there_is_no_approve_button(page: Page, org: Org) -> None:
    author = UserFactory(roles=[(org.press, Role.EDITOR), (org.press, Role.APPROVER)])
    post = _in_review(org, author)
    login(page, author)
    visit(page, f"/editorial/posts/{post.pk}/")
    expect(page.locator(f"form[action='/editorial/posts/{post.pk}/approve/']")).to_have_count(0)
    expect(page.locator(".approve-refusal")).to_be_visible()


def test_a_channels_own_version_starts_from_the_post_text_with_a_live_count(
    page: Page, org: Org, people: People
) -> None:
    post = _in_review(org, people.editor)
    variant = post.variants.get(channel=org.press_channel)
    login(page, people.editor)
    visit(page, f"/editorial/posts/{post.pk}/variants/{variant.pk}/")
    expect(page.locator("#id_text_override")).to_have_value(TEXT)
    counts = page.locator("#preview-counts")
    expect(counts).to_contain_text(org.press_channel.name)
    page.locator("#id_text_override").fill("Kurz und knapp.")
    expect(counts).to_contain_text(": 15")
