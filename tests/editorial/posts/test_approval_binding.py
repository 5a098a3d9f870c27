# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""An approval covers exactly the content shown: texts, images and alt texts per channel.
A later change of an image's description returns the post to review; an approval sent from
a page showing older content is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.errors import ConflictError
from accounts.models import AuditEntry
from editorial.common.content import post_content_hash
from editorial.media.services import media_asset_update
from editorial.models import Approval
from editorial.models import EditorialPolicy
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostVariant
from editorial.posts.services import post_approve
from editorial.posts.services import variant_update
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ALT_TEXT = "Das Rathaus von Musterstadt im Sonnenschein"


@pytest.fixture
def image(make_image: Callable[..., MediaAsset]) -> MediaAsset:
    return make_image(alt_text=ALT_TEXT)


@pytest.fixture
def approved_with_image(
    people: People, image: MediaAsset, make_in_review: Callable[..., Post]
) -> Post:
    post = make_in_review(media_ids=[image.pk])
    post_approve(actor=people.approver, post=post)
    return Post.objects.get(pk=post.pk)


# --- A changed description after approval ---------------------------------------------------


def test_a_changed_alt_text_returns_the_approved_post_to_review(
    people: People, image: MediaAsset, approved_with_image: Post
) -> None:
    media_asset_update(actor=people.editor, asset=image, alt_text="Ein ganz anderes Bild")
    post = Post.objects.get(pk=approved_with_image.pk)
    assert post.status == Post.Status.IN_REVIEW
    assert post.approved_hash == ""
    assert not post.approvals.filter(is_current=True).exists()
    assert post.variants.get().status == PostVariant.Status.PENDING


def test_the_return_to_review_names_the_image_in_the_audit_log(
    people: People, image: MediaAsset, approved_with_image: Post
) -> None:
    media_asset_update(actor=people.editor, asset=image, alt_text="Ein ganz anderes Bild")
    entry = AuditEntry.objects.get(
        action="editorial.post.returned_to_review", target_id=str(approved_with_image.pk)
    )
    assert entry.actor == people.editor
    assert entry.data["media"] == image.pk


def test_a_changed_alt_text_voids_an_approval_given_in_review(
    org: Org, people: People, image: MediaAsset, make_in_review: Callable[..., Post]
) -> None:
    EditorialPolicy.objects.create(unit=org.city, required_approvals=2)
    post = make_in_review(media_ids=[image.pk])
    post_approve(actor=people.approver, post=post)
    media_asset_update(actor=people.editor, asset=image, alt_text="Ein ganz anderes Bild")
    assert not Approval.objects.filter(post=post, is_current=True).exists()


def test_a_change_outside_the_approved_content_keeps_the_approval(
    people: People, image: MediaAsset, approved_with_image: Post
) -> None:
    media_asset_update(actor=people.editor, asset=image, credit="Stadt Musterstadt")
    post = Post.objects.get(pk=approved_with_image.pk)
    assert post.status == Post.Status.SCHEDULED
    assert post.approved_hash == post_content_hash(post)


def test_a_channels_own_image_after_approval_returns_the_post_to_review(
    people: People, make_image: Callable[..., MediaAsset], approved_with_image: Post
) -> None:
    other = make_image(alt_text="Der Marktplatz am Abend")
    variant_update(
        actor=people.editor,
        variant=approved_with_image.variants.get(),
        text_override="",
        media_override=True,
        media_ids=[other.pk],
    )
    assert Post.objects.get(pk=approved_with_image.pk).status == Post.Status.IN_REVIEW


# --- What the approver was shown ------------------------------------------------------------


def test_an_approval_of_content_changed_since_it_was_shown_is_refused(
    people: People, in_review: Post
) -> None:
    shown = post_content_hash(in_review)
    Post.objects.filter(pk=in_review.pk).update(text="Geändert, nachdem die Seite geladen war.")
    with pytest.raises(ConflictError):
        post_approve(actor=people.approver, post=in_review, seen_hash=shown)
    assert not Approval.objects.filter(post=in_review).exists()


def test_an_approval_of_the_content_shown_counts(people: People, in_review: Post) -> None:
    post_approve(actor=people.approver, post=in_review, seen_hash=post_content_hash(in_review))
    assert Post.objects.get(pk=in_review.pk).status == Post.Status.SCHEDULED


def test_the_approval_form_carries_the_hash_of_the_content_shown(
    people: People, in_review: Post
) -> None:
    html = login(Client(), people.approver).get(f"/editorial/posts/{in_review.pk}/").content
    content_hash = post_content_hash(in_review)
    assert f'name="seen_hash" value="{content_hash}"'.encode() in html
    assert content_hash[:12].encode() in html


def test_the_page_refuses_an_approval_of_changed_content_and_says_why(
    people: People, in_review: Post
) -> None:
    shown = post_content_hash(in_review)
    Post.objects.filter(pk=in_review.pk).update(text="Geändert, nachdem die Seite geladen war.")
    response = login(Client(), people.approver).post(
        f"/editorial/posts/{in_review.pk}/approve/", {"seen_hash": shown}, follow=True
    )
    assert Post.objects.get(pk=in_review.pk).status == Post.Status.IN_REVIEW
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_the_api_refuses_an_approval_of_changed_content(people: People, in_review: Post) -> None:
    shown = post_content_hash(in_review)
    Post.objects.filter(pk=in_review.pk).update(text="Geändert, nachdem die Vorschau kam.")
    response = login(Client(), people.approver).post(
        f"/api/v1/posts/{in_review.pk}/approve/",
        {"seen_hash": shown},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
