"""Publishing a due variant on the sandbox platform over real HTTP (live server): on time,
exactly once, with its media, by a real worker or several competing ones."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.utils import timezone

from accounts.models import AuditEntry
from config.celery import app as celery_app
from editorial.models import Post
from editorial.models import PostVariant
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from editorial.publishing.engine import _claim
from editorial.publishing.engine import variant_publish
from editorial.publishing.engine import variants_dispatch_due
from editorial.publishing.tasks import dispatch_due_variants
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import due_post
from tests.editorial.factories import sandbox_connected

pytestmark = pytest.mark.django_db(transaction=True)

V = PostVariant.Status


# --- A real worker --------------------------------------------------------------------------


@pytest.fixture
def published_by_a_real_worker(sandbox: str, org: Org, people: People) -> PostVariant:
    """A due post on the "presse" account, dispatched by beat's task and published by a real
    (threaded) Celery worker."""
    channel = sandbox_connected(org.press_channel, people, "presse")
    post = due_post(org, people, [channel])
    with start_worker(
        celery_app,
        pool="threads",
        concurrency=2,
        perform_ping_check=False,
        queues=["default", "publishing", "mail"],
    ):
        dispatch_due_variants.delay()
        deadline = time.monotonic() + 20
        while PostVariant.objects.get(post=post).status != V.PUBLISHED:
            assert time.monotonic() < deadline, PostVariant.objects.get(post=post).last_error
            time.sleep(0.2)
    return PostVariant.objects.get(post=post)


def test_a_real_worker_publishes_a_due_post_once(
    published_by_a_real_worker: PostVariant, posts_created: Callable[[str], int]
) -> None:
    variant = published_by_a_real_worker
    assert variant.remote_id and variant.remote_url
    assert variant.published_at and variant.claimed_at
    assert Post.objects.get(pk=variant.post_id).status == Post.Status.PUBLISHED
    assert posts_created("presse") == 1


def test_a_real_workers_publication_is_audited_with_the_remote_id(
    published_by_a_real_worker: PostVariant,
) -> None:
    entry = AuditEntry.objects.get(action="editorial.variant.published")
    assert entry.data["remote_id"] == published_by_a_real_worker.remote_id


def test_a_published_variant_is_neither_queued_nor_published_again(
    published_by_a_real_worker: PostVariant,
) -> None:
    # Queued again by the next beat: nothing happens twice.
    assert variants_dispatch_due() == 0
    assert variant_publish(published_by_a_real_worker.pk) == "not_claimed"


# --- Competing workers ----------------------------------------------------------------------


@pytest.fixture
def four_workers_at_once(sandbox: str, org: Org, people: People) -> list[str]:
    """What four threads got that published the same variant at once."""
    channel = sandbox_connected(org.press_channel, people, "gleichzeitig")
    variant_id = PostVariant.objects.get(post=due_post(org, people, [channel])).pk
    results: list[str] = []

    def worker() -> None:
        try:
            results.append(variant_publish(variant_id))
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_workers_publish_once(
    four_workers_at_once: list[str], posts_created: Callable[[str], int]
) -> None:
    assert sorted(four_workers_at_once).count("published") == 1
    assert four_workers_at_once.count("not_claimed") == 3
    assert posts_created("gleichzeitig") == 1


# --- A worker dying after it published ------------------------------------------------------


@pytest.fixture
def crashed_after_publishing(sandbox: str, org: Org, people: People) -> PostVariant:
    """A worker claimed the variant and published it, then died before it recorded anything."""
    from channels_app.services import adapter_for
    from editorial.publishing.engine import _claimed
    from editorial.publishing.engine import _content

    channel = sandbox_connected(org.press_channel, people, "abgestuerzt")
    variant = PostVariant.objects.get(post=due_post(org, people, [channel]))
    assert _claim(variant.pk, timezone.now())
    claimed = _claimed(variant.pk)
    adapter_for(claimed.variant.channel).publish(
        _content(claimed), str(claimed.variant.idempotency_key)
    )
    return claimed.variant


def _lease_expired(variant: PostVariant) -> None:
    from editorial.publishing.engine import CLAIM_LEASE

    PostVariant.objects.filter(pk=variant.pk).update(
        claimed_at=timezone.now() - CLAIM_LEASE - timedelta(seconds=1)
    )


def test_a_dead_workers_claim_holds_until_its_lease_ends(
    crashed_after_publishing: PostVariant,
) -> None:
    assert variant_publish(crashed_after_publishing.pk) == "not_claimed"  # the lease still holds


def test_a_dead_workers_claim_is_queued_again_after_its_lease(
    crashed_after_publishing: PostVariant,
) -> None:
    _lease_expired(crashed_after_publishing)
    assert variants_dispatch_due() == 1


def test_a_dead_workers_claim_is_taken_over_without_a_second_post(
    crashed_after_publishing: PostVariant, posts_created: Callable[[str], int]
) -> None:
    _lease_expired(crashed_after_publishing)
    assert variant_publish(crashed_after_publishing.pk) == "found"
    assert posts_created("abgestuerzt") == 1


# --- Media ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("handle", "asset"),
    [("mit-bild", "shared"), ("eigenes-bild", "own")],
    ids=["the_posts_image", "a_channels_own_image"],
)
def test_images_go_out_with_their_alt_text(
    sandbox: str, org: Org, people: People, settings, tmp_path, handle: str, asset: str
) -> None:  # type: ignore[no-untyped-def]
    """The engine sends the media it read with the claimed variant: the post's, or the
    channel's own where the variant overrides them."""
    from channels_app.sandbox.models import SandboxPost
    from editorial.models import VariantMedia
    from tests.editorial.factories import MediaAssetFactory
    from tests.editorial.factories import png_bytes

    settings.MEDIA_ROOT = tmp_path / "media"
    shared = MediaAssetFactory(unit=org.press, alt_text="Das Rathaus im Sonnenschein.")
    own = MediaAssetFactory(
        unit=org.press, content=png_bytes(color=(200, 30, 30)), alt_text="Ein rotes Plakat."
    )
    press = sandbox_connected(org.press_channel, people, "mit-bild")
    social = sandbox_connected(org.social_channel, people, "eigenes-bild")
    post = post_create(
        actor=people.editor,
        unit=org.press,
        title="Tag der offenen Tür",
        text="Tag der offenen Tür im Rathaus.",
        channels=[press, social],
        planned_at=timezone.now() + timedelta(minutes=1),
        media_ids=[shared.pk],
    )
    social_variant = PostVariant.objects.get(post=post, channel=social)
    PostVariant.objects.filter(pk=social_variant.pk).update(media_override=True)
    VariantMedia.objects.create(variant=social_variant, asset=own)
    post_submit(actor=people.editor, post=post)
    post_approve(actor=people.approver, post=post)
    PostVariant.objects.filter(post=post).update(scheduled_at=timezone.now())

    for variant in PostVariant.objects.filter(post=post):
        assert variant_publish(variant.pk) == "published"
    alt_text = {"shared": shared, "own": own}[asset].alt_text
    remote = SandboxPost.objects.get(account__handle=handle)
    assert [m.alt_text for m in remote.media.all()] == [alt_text]


# --- Cost and records -----------------------------------------------------------------------


@pytest.fixture
def one_variant_due(sandbox: str, org: Org, people: People) -> PostVariant:
    channel = sandbox_connected(org.press_channel, people, "sparsam")
    return PostVariant.objects.get(post=due_post(org, people, [channel]))


def test_publishing_one_variant_takes_a_bounded_number_of_queries(
    one_variant_due: PostVariant, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """Claim, one read of everything the checks need, the pause check, the attempt log and
    one transaction for the result with its audit entries: the engine's throughput depends
    on it (benchmarks/publishing.py)."""
    with django_assert_max_num_queries(20):
        assert variant_publish(one_variant_due.pk) == "published"


def test_publishing_a_posts_only_variant_publishes_the_post(
    one_variant_due: PostVariant,
) -> None:
    variant_publish(one_variant_due.pk)
    assert Post.objects.get(pk=one_variant_due.post_id).status == Post.Status.PUBLISHED


def test_publishing_audits_the_variant_and_the_finished_post_once_each(
    one_variant_due: PostVariant,
) -> None:
    variant_publish(one_variant_due.pk)
    assert AuditEntry.objects.filter(action="editorial.variant.published").count() == 1
    assert AuditEntry.objects.filter(action="editorial.post.publishing_finished").count() == 1
