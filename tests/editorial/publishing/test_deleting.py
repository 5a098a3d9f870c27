"""Deleting a published post: the page offers deleting it on the platforms too, the queued
task removes it there, and the removal is audited."""

from __future__ import annotations

import pytest
import requests
from django.test import Client

from accounts.models import AuditEntry
from editorial.models import Post
from editorial.models import PostVariant
from editorial.publishing.engine import variant_delete_on_platform
from editorial.publishing.engine import variant_publish
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.editorial.factories import due_post
from tests.editorial.factories import sandbox_connected

pytestmark = pytest.mark.django_db(transaction=True)

V = PostVariant.Status


@pytest.fixture
def published(sandbox: str, org: Org, people: People) -> PostVariant:
    channel = sandbox_connected(org.press_channel, people, "loeschen")
    variant = PostVariant.objects.get(post=due_post(org, people, [channel]))
    assert variant_publish(variant.pk) == "published"
    return variant


@pytest.fixture
def deleted(people: People, published: PostVariant):  # type: ignore[no-untyped-def]
    """The editor deleted the post, ticking "delete on the platforms"."""
    return login(Client(), people.editor).post(
        f"/editorial/posts/{published.post_id}/delete/", {"delete_on_platforms": "on"}
    )


def test_the_delete_page_offers_deleting_on_the_platform(
    people: People, published: PostVariant
) -> None:
    page = login(Client(), people.editor).get(f"/editorial/posts/{published.post_id}/delete/")
    assert page.context["variants"][0][1] is True  # the sandbox allows deleting


def test_deleting_a_published_post_withdraws_it(published: PostVariant, deleted) -> None:  # type: ignore[no-untyped-def]
    assert deleted.status_code == 302
    assert Post.objects.get(pk=published.post_id).status == Post.Status.WITHDRAWN


@pytest.mark.usefixtures("deleted")
def test_the_queued_deletion_removes_the_post_from_the_platform(
    sandbox: str, published: PostVariant
) -> None:
    assert variant_delete_on_platform(published.pk) == "deleted"  # what the queued task runs
    assert PostVariant.objects.get(pk=published.pk).status == V.REMOVED
    remote_id = PostVariant.objects.get(pk=published.pk).remote_id
    public = requests.get(f"{sandbox.rsplit('/api/', 1)[0]}/posts/{remote_id}/", timeout=10)
    assert public.status_code == 404


@pytest.mark.usefixtures("deleted")
def test_deleting_on_the_platform_is_audited(published: PostVariant) -> None:
    variant_delete_on_platform(published.pk)
    assert AuditEntry.objects.filter(action="editorial.variant.deleted_on_platform").exists()


def test_outsiders_cannot_delete_a_post(people: People, published: PostVariant) -> None:
    response = login(Client(), people.outsider).post(
        f"/editorial/posts/{published.post_id}/delete/"
    )
    assert response.status_code == 404
    assert Post.objects.get(pk=published.post_id).status == Post.Status.PUBLISHED
