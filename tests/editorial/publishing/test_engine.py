"""The publishing engine against the sandbox platform over real HTTP (live server): on
time, exactly once, and staff know why when not."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import redis
import requests
import responses
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry, Notification
from channels_app.adapters.base import AccountChoice
from channels_app.models import Channel
from channels_app.services import channel_connect, channel_connect_with_form
from config.celery import app as celery_app
from editorial.crisis.services import pause_start
from editorial.models import Post, PostVariant, PublishAttempt
from editorial.posts.services import post_approve, post_create, post_submit
from editorial.publishing.engine import _claim, variant_publish, variants_dispatch_due
from editorial.publishing.tasks import dispatch_due_variants
from tests.conftest import Org, People, login
from tests.editorial.factories import due_post, sandbox_connected

pytestmark = pytest.mark.django_db(transaction=True)

V = PostVariant.Status


@pytest.fixture
def sandbox(live_server, settings):  # type: ignore[no-untyped-def]
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox/api/v1"
    settings.PLATFORM_READ_TIMEOUT = 2
    return settings.SANDBOX_BASE_URL


def _control(base: str, handle: str, secret: str, **faults: object) -> None:
    response = requests.post(
        f"{base}/_control/{handle}", json=faults, headers={"X-Sandbox-Control": secret}, timeout=10
    )
    assert response.status_code == 200, response.text


def _stats(base: str, handle: str, secret: str) -> dict[str, int]:
    return requests.get(
        f"{base}/_control/{handle}/stats", headers={"X-Sandbox-Control": secret}, timeout=10
    ).json()


def test_a_real_worker_publishes_a_due_post_once(
    sandbox, org: Org, people: People, settings
) -> None:  # type: ignore[no-untyped-def]
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
    variant = PostVariant.objects.get(post=post)
    assert variant.remote_id and variant.remote_url
    assert variant.published_at and variant.claimed_at
    assert Post.objects.get(pk=post.pk).status == Post.Status.PUBLISHED
    assert _stats(sandbox, "presse", settings.SANDBOX_CONTROL_SECRET)["posts_created"] == 1
    entry = AuditEntry.objects.get(action="editorial.variant.published")
    assert entry.data["remote_id"] == variant.remote_id
    # Queued again by the next beat: nothing happens twice.
    assert variants_dispatch_due() == 0
    assert variant_publish(variant.pk) == "not_claimed"


def test_concurrent_workers_publish_once(sandbox, org: Org, people: People, settings) -> None:  # type: ignore[no-untyped-def]
    channel = sandbox_connected(org.press_channel, people, "gleichzeitig")
    post = due_post(org, people, [channel])
    variant_id = PostVariant.objects.get(post=post).pk
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
    assert sorted(results).count("published") == 1
    assert results.count("not_claimed") == 3
    assert _stats(sandbox, "gleichzeitig", settings.SANDBOX_CONTROL_SECRET)["posts_created"] == 1


def test_server_errors_are_retried_with_backoff_then_succeed(
    sandbox, org: Org, people: People, settings
) -> None:  # type: ignore[no-untyped-def]
    secret = settings.SANDBOX_CONTROL_SECRET
    channel = sandbox_connected(org.press_channel, people, "wackelig")
    _control(sandbox, "wackelig", secret, fail_status=500, fail_count=2)
    post = due_post(org, people, [channel])
    variant = PostVariant.objects.get(post=post)
    for _ in range(2):
        assert variant_publish(variant.pk) == "retry"
        variant.refresh_from_db()
        assert variant.status == V.SCHEDULED and variant.next_attempt_at > timezone.now()
        assert "HTTP 500" in variant.last_error or "500" in variant.last_error
        PostVariant.objects.filter(pk=variant.pk).update(next_attempt_at=timezone.now())
    assert variant_publish(variant.pk) == "published"
    assert _stats(sandbox, "wackelig", secret)["posts_created"] == 1
    assert PublishAttempt.objects.filter(variant=variant).count() == 3


def test_rate_limits_honour_retry_after(sandbox, org: Org, people: People, settings) -> None:  # type: ignore[no-untyped-def]
    channel = sandbox_connected(org.press_channel, people, "gedrosselt")
    _control(
        sandbox,
        "gedrosselt",
        settings.SANDBOX_CONTROL_SECRET,
        fail_status=429,
        fail_count=1,
        retry_after_seconds=120,
    )
    variant = PostVariant.objects.get(post=due_post(org, people, [channel]))
    assert variant_publish(variant.pk) == "retry"
    variant.refresh_from_db()
    assert variant.next_attempt_at >= timezone.now() + timedelta(seconds=115)


def test_accepted_then_timed_out_is_found_not_repeated(
    sandbox, org: Org, people: People, settings
) -> None:  # type: ignore[no-untyped-def]
    secret = settings.SANDBOX_CONTROL_SECRET
    channel = sandbox_connected(org.press_channel, people, "langsam")
    _control(
        sandbox, "langsam", secret, timeout_after_accept_count=1, timeout_after_accept_seconds=4
    )
    variant = PostVariant.objects.get(post=due_post(org, people, [channel]))
    assert variant_publish(variant.pk) == "retry"  # the answer never came
    PostVariant.objects.filter(pk=variant.pk).update(next_attempt_at=timezone.now())
    assert variant_publish(variant.pk) == "found"
    variant.refresh_from_db()
    assert variant.status == V.PUBLISHED and variant.remote_id
    assert _stats(sandbox, "langsam", secret)["posts_created"] == 1


def test_a_dead_workers_claim_is_taken_over_without_a_second_post(
    sandbox, org: Org, people: People, settings
) -> None:  # type: ignore[no-untyped-def]
    from channels_app.services import adapter_for
    from editorial.publishing.engine import CLAIM_LEASE, _claimed, _content

    secret = settings.SANDBOX_CONTROL_SECRET
    channel = sandbox_connected(org.press_channel, people, "abgestuerzt")
    variant = PostVariant.objects.get(post=due_post(org, people, [channel]))
    # A worker claims and publishes, then dies before it records anything.
    assert _claim(variant.pk, timezone.now())
    claimed = _claimed(variant.pk)
    variant = claimed.variant
    adapter_for(variant.channel).publish(_content(claimed), str(variant.idempotency_key))
    assert variant_publish(variant.pk) == "not_claimed"  # the lease still holds
    PostVariant.objects.filter(pk=variant.pk).update(
        claimed_at=timezone.now() - CLAIM_LEASE - timedelta(seconds=1)
    )
    assert variants_dispatch_due() == 1
    assert variant_publish(variant.pk) == "found"
    assert _stats(sandbox, "abgestuerzt", secret)["posts_created"] == 1


def test_a_pause_after_the_claim_stops_the_post(
    sandbox, org: Org, people: People, settings
) -> None:  # type: ignore[no-untyped-def]
    channel = sandbox_connected(org.press_channel, people, "pausiert")
    variant = PostVariant.objects.get(post=due_post(org, people, [channel]))
    assert _claim(variant.pk, timezone.now())
    pause_start(actor=people.approver, reason="Lage unklar", unit=org.press)
    # The claimed variant is released by the next attempt and does not go out.
    PostVariant.objects.filter(pk=variant.pk).update(status=V.SCHEDULED, claimed_at=None)
    assert variant_publish(variant.pk) == "held"
    variant.refresh_from_db()
    assert variant.status == V.SCHEDULED
    assert _stats(sandbox, "pausiert", settings.SANDBOX_CONTROL_SECRET)["posts_created"] == 0


def test_an_expired_channel_fails_with_a_reason_and_tells_people(
    sandbox, org: Org, people: People, settings
) -> None:  # type: ignore[no-untyped-def]
    channel = sandbox_connected(org.press_channel, people, "abgelaufen")
    _control(sandbox, "abgelaufen", settings.SANDBOX_CONTROL_SECRET, expire_token=True)
    post = due_post(org, people, [channel])
    variant = PostVariant.objects.get(post=post)
    assert variant_publish(variant.pk) == "failed"
    variant.refresh_from_db()
    assert variant.status == V.FAILED and variant.last_error
    assert Channel.objects.get(pk=channel.pk).status == Channel.Status.NEEDS_RECONNECT
    assert Post.objects.get(pk=post.pk).status == Post.Status.FAILED
    assert Notification.objects.filter(
        recipient=people.editor, kind="editorial.publish_failed"
    ).exists()


def test_partly_failed_post_and_retry_of_failed_channels(
    sandbox, org: Org, people: People, settings
) -> None:  # type: ignore[no-untyped-def]
    good = sandbox_connected(org.press_channel, people, "gut")
    bad = sandbox_connected(org.social_channel, people, "schlecht")
    _control(sandbox, "schlecht", settings.SANDBOX_CONTROL_SECRET, expire_token=True)
    post = due_post(org, people, [good, bad])
    for variant in PostVariant.objects.filter(post=post):
        variant_publish(variant.pk)
    post.refresh_from_db()
    assert post.status == Post.Status.PARTLY_FAILED
    page = login(Client(), people.editor).get(f"/editorial/posts/{post.pk}/").content.decode()
    assert "schlecht" in page or bad.name in page
    # Reconnect the failed channel, then retry only it.
    channel_connect_with_form(
        actor=people.channel_admin, channel=bad, values={"handle": "schlecht", "password": "pw"}
    )
    response = login(Client(), people.editor).post(f"/editorial/posts/{post.pk}/retry_failed/")
    assert response.status_code == 302
    failed_variant = PostVariant.objects.get(post=post, channel=bad)
    assert failed_variant.status == V.SCHEDULED
    assert variant_publish(failed_variant.pk) == "published"
    assert Post.objects.get(pk=post.pk).status == Post.Status.PUBLISHED


def test_content_changed_behind_the_approval_is_held(sandbox, org: Org, people: People) -> None:  # type: ignore[no-untyped-def]
    channel = sandbox_connected(org.press_channel, people, "geaendert")
    post = due_post(org, people, [channel])
    Post.objects.filter(pk=post.pk).update(text="Unbemerkt geändert")  # bypassing the services
    variant = PostVariant.objects.get(post=post)
    assert variant_publish(variant.pk) == "held"
    assert PostVariant.objects.get(pk=variant.pk).status == V.PENDING


@responses.activate
def test_telegram_unknown_outcome_asks_a_person(org: Org, people: People) -> None:
    responses.add_passthru("http://localhost")
    channel = Channel.objects.create(unit=org.press, name="Telegram Kanal", platform="telegram")
    from accounts.permissions import channel_permissions_sync

    channel_permissions_sync(channel)
    channel_connect(
        actor=people.channel_admin,
        channel=channel,
        choice=AccountChoice(
            account_id="-1001234567890",
            name="Stadt",
            handle="@stadt_musterstadt",
            credentials={"bot_token": "123456:ABCdefGhIJKlmNoPQRsTUVwxyZ12345678"},
        ),
    )
    responses.post(
        "https://api.telegram.org/bot123456:ABCdefGhIJKlmNoPQRsTUVwxyZ12345678/sendMessage",
        body=requests.ReadTimeout(),
    )
    post = due_post(org, people, [Channel.objects.get(pk=channel.pk)])
    variant = PostVariant.objects.get(post=post)
    assert variant_publish(variant.pk) == "needs_check"
    assert PostVariant.objects.get(pk=variant.pk).status == V.NEEDS_CHECK
    assert variant_publish(variant.pk) == "not_claimed"  # never sent again by itself


def test_deleting_a_published_post_offers_deleting_it_on_the_platform(
    sandbox, org: Org, people: People, settings
) -> None:  # type: ignore[no-untyped-def]
    from editorial.publishing.engine import variant_delete_on_platform

    channel = sandbox_connected(org.press_channel, people, "loeschen")
    post = due_post(org, people, [channel])
    variant = PostVariant.objects.get(post=post)
    assert variant_publish(variant.pk) == "published"
    editor = login(Client(), people.editor)
    page = editor.get(f"/editorial/posts/{post.pk}/delete/")
    assert page.context["variants"][0][1] is True  # the sandbox allows deleting
    response = editor.post(f"/editorial/posts/{post.pk}/delete/", {"delete_on_platforms": "on"})
    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).status == Post.Status.WITHDRAWN
    assert variant_delete_on_platform(variant.pk) == "deleted"  # what the queued task runs
    assert PostVariant.objects.get(pk=variant.pk).status == V.REMOVED
    remote_id = PostVariant.objects.get(pk=variant.pk).remote_id
    public = requests.get(f"{sandbox.rsplit('/api/', 1)[0]}/posts/{remote_id}/", timeout=10)
    assert public.status_code == 404
    assert AuditEntry.objects.filter(action="editorial.variant.deleted_on_platform").exists()
    assert (
        login(Client(), people.outsider).post(f"/editorial/posts/{post.pk}/delete/").status_code
        == 404
    )


def test_two_beats_dispatching_at_once_queue_each_variant_once(
    sandbox, org: Org, people: People
) -> None:  # type: ignore[no-untyped-def]
    import ast
    import json

    import redis
    from django.conf import settings as django_settings

    broker = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
    broker.delete("publishing")
    channel = sandbox_connected(org.press_channel, people, "doppelbeat")
    for i in range(6):
        due_post(org, people, [channel], title=f"Meldung {i}")
    barrier = threading.Barrier(2)

    def beat() -> None:
        try:
            barrier.wait()
            variants_dispatch_due()
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # What the real broker holds: one task per variant, none twice.
    queued = [
        ast.literal_eval(json.loads(raw)["headers"]["argsrepr"])[0]
        for raw in broker.lrange("publishing", 0, -1)
    ]
    broker.delete("publishing")
    assert sorted(queued) == sorted(PostVariant.objects.values_list("id", flat=True))


def _queued_messages(broker: redis.Redis) -> list[tuple[int, dict[str, object]]]:
    """(variant id, kwargs) of every publishing task in the real broker's queue."""
    import ast
    import json

    messages = []
    for raw in broker.lrange("publishing", 0, -1):
        headers = json.loads(raw)["headers"]
        messages.append(
            (ast.literal_eval(headers["argsrepr"])[0], ast.literal_eval(headers["kwargsrepr"]))
        )
    return messages


def test_variants_due_before_the_next_tick_are_queued_ahead_and_wait_for_their_second(
    sandbox, org: Org, people: People, settings
) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings as django_settings

    broker = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
    broker.delete("publishing")
    channel = sandbox_connected(org.press_channel, people, "vorab")
    soon = due_post(org, people, [channel], title="Gleich")
    later = due_post(org, people, [channel], title="Später")
    due = timezone.now() + timedelta(seconds=2)
    PostVariant.objects.filter(post=soon).update(scheduled_at=due)
    # Beyond the look-ahead (tick interval + 1 s): the next tick's business.
    beyond = timezone.now() + timedelta(seconds=settings.PUBLISH_DISPATCH_SECONDS + 5)
    PostVariant.objects.filter(post=later).update(scheduled_at=beyond)
    variant = PostVariant.objects.get(post=soon)

    assert variants_dispatch_due() == 1
    messages = _queued_messages(broker)
    broker.delete("publishing")
    assert messages == [(variant.pk, {"not_before": due.timestamp()})]

    assert variant_publish(variant.pk, not_before=due.timestamp()) == "published"
    variant.refresh_from_db()
    assert variant.claimed_at is not None and variant.claimed_at >= due  # never early
    assert variant.published_at is not None and variant.published_at >= due
    assert PostVariant.objects.get(post=later).status == V.SCHEDULED


def test_a_variant_moved_later_after_it_was_queued_is_queued_again_by_the_next_tick(
    sandbox, org: Org, people: People
) -> None:  # type: ignore[no-untyped-def]
    channel = sandbox_connected(org.press_channel, people, "verschoben")
    variant = PostVariant.objects.get(post=due_post(org, people, [channel]))
    PostVariant.objects.filter(pk=variant.pk).update(queued_at=timezone.now())
    later = timezone.now() + timedelta(hours=1)
    PostVariant.objects.filter(pk=variant.pk).update(scheduled_at=later)

    assert variant_publish(variant.pk) == "not_claimed"
    variant.refresh_from_db()
    assert variant.status == V.SCHEDULED and variant.queued_at is None
    assert variant.attempts == 0 and not PublishAttempt.objects.filter(variant=variant).exists()


def test_the_posts_image_and_a_channels_own_image_go_out_with_their_alt_text(
    sandbox, org: Org, people: People, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The engine sends the media it read with the claimed variant: the post's, or the
    channel's own where the variant overrides them."""
    from channels_app.sandbox.models import SandboxPost
    from editorial.models import VariantMedia
    from tests.editorial.factories import MediaAssetFactory, png_bytes

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
    for handle, alt_text in (("mit-bild", shared.alt_text), ("eigenes-bild", own.alt_text)):
        remote = SandboxPost.objects.get(account__handle=handle)
        assert [m.alt_text for m in remote.media.all()] == [alt_text]


def test_publishing_one_variant_takes_a_bounded_number_of_queries(
    sandbox, org: Org, people: People, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """Claim, one read of everything the checks need, the pause check, the attempt log and
    one transaction for the result with its audit entries: the engine's throughput depends
    on it (benchmarks/publishing.py)."""
    channel = sandbox_connected(org.press_channel, people, "sparsam")
    post = due_post(org, people, [channel])
    variant = PostVariant.objects.get(post=post)
    with django_assert_max_num_queries(20):
        assert variant_publish(variant.pk) == "published"
    assert Post.objects.get(pk=post.pk).status == Post.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="editorial.variant.published").count() == 1
    assert AuditEntry.objects.filter(action="editorial.post.publishing_finished").count() == 1
