"""What holds a due variant back: a pause that started after the claim, content changed
behind the approval."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from editorial.crisis.services import pause_start
from editorial.models import Post
from editorial.models import PostVariant
from editorial.publishing.engine import _claim
from editorial.publishing.engine import variant_publish
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import due_post
from tests.editorial.factories import sandbox_connected

pytestmark = pytest.mark.django_db(transaction=True)

V = PostVariant.Status


@pytest.fixture
def paused_after_the_claim(sandbox: str, org: Org, people: People) -> PostVariant:
    channel = sandbox_connected(org.press_channel, people, "pausiert")
    variant = PostVariant.objects.get(post=due_post(org, people, [channel]))
    assert _claim(variant.pk, timezone.now())
    pause_start(actor=people.approver, reason="Lage unklar", unit=org.press)
    # The claimed variant is released by the next attempt.
    PostVariant.objects.filter(pk=variant.pk).update(status=V.SCHEDULED, claimed_at=None)
    return variant


def test_a_pause_after_the_claim_holds_the_variant(paused_after_the_claim: PostVariant) -> None:
    assert variant_publish(paused_after_the_claim.pk) == "held"
    paused_after_the_claim.refresh_from_db()
    assert paused_after_the_claim.status == V.SCHEDULED


def test_a_pause_after_the_claim_sends_nothing_to_the_platform(
    paused_after_the_claim: PostVariant, posts_created: Callable[[str], int]
) -> None:
    variant_publish(paused_after_the_claim.pk)
    assert posts_created("pausiert") == 0


def test_content_changed_behind_the_approval_is_held(
    sandbox: str, org: Org, people: People
) -> None:
    channel = sandbox_connected(org.press_channel, people, "geaendert")
    post = due_post(org, people, [channel])
    Post.objects.filter(pk=post.pk).update(text="Unbemerkt geändert")  # bypassing the services
    variant = PostVariant.objects.get(post=post)
    assert variant_publish(variant.pk) == "held"
    assert PostVariant.objects.get(pk=variant.pk).status == V.PENDING
