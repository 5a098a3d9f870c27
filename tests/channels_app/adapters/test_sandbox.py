"""The sandbox adapter against the real sandbox server.

Most tests run the server in-process through ``WSGITransport`` (real routing and views,
inside the test transaction); the concurrency and real-timeout tests use ``live_server``
(real sockets, real threads, committed transactions).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import responses
import time_machine
from django.test import Client

from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import ConnectMethod
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import MediaKind
from channels_app.adapters.base import PostContent
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.registry import adapter_class
from channels_app.adapters.sandbox import SandboxAdapter
from channels_app.sandbox import simulation
from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.models import SandboxComment
from channels_app.sandbox.models import SandboxMedia
from channels_app.sandbox.models import SandboxPost
from tests.channels_app.wsgi_transport import mount

BASE_URL = "http://testserver/sandbox/api/v1"
SECRET = "control-secret-for-adapter-tests"
HANDLE = "stadt-musterstadt"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _sandbox_settings(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SANDBOX_CONTROL_SECRET = SECRET
    settings.SANDBOX_BASE_URL = BASE_URL
    settings.SANDBOX_ENABLED = True


def sandbox_session(base_url: str = BASE_URL) -> requests.Session:
    session = requests.Session()
    mount(session, base_url)
    return session


def connect(handle: str = HANDLE, **kwargs: Any) -> SandboxAdapter:
    session = sandbox_session()
    choice = SandboxAdapter.connect_with_form(
        base_url=BASE_URL, values={"handle": handle, "password": "beliebig"}, session=session
    )
    context = ChannelContext(
        platform="sandbox", account_id=choice.account_id, handle=choice.handle, base_url=BASE_URL
    )
    return SandboxAdapter(context, choice.credentials, session=session, **kwargs)


def control(handle: str = HANDLE, **settings: Any) -> dict[str, Any]:
    response = Client().post(
        f"/sandbox/api/v1/_control/{handle}",
        settings,
        content_type="application/json",
        HTTP_X_SANDBOX_CONTROL=SECRET,
    )
    assert response.status_code == 200, response.content
    return response.json()


def stats(handle: str = HANDLE) -> dict[str, int]:
    response = Client().get(
        f"/sandbox/api/v1/_control/{handle}/stats", HTTP_X_SANDBOX_CONTROL=SECRET
    )
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def adapter(db: None) -> SandboxAdapter:
    return connect()


# --- Connecting ---------------------------------------------------------------------------


def test_registry_and_class_attributes() -> None:
    assert adapter_class("sandbox") is SandboxAdapter
    assert SandboxAdapter.connect_method == ConnectMethod.FORM
    fields = {f.name: f for f in SandboxAdapter.credential_fields}
    assert fields["password"].secret and not fields["handle"].secret
    caps = SandboxAdapter.capabilities
    assert caps.max_text_length == 1000 and caps.max_images == 4
    assert caps.reply and caps.hide_comments and caps.delete_comments and caps.post_metrics
    assert str(caps.idempotency)


def test_connect_with_form_signs_up_and_returns_credentials(db: None) -> None:
    choice = SandboxAdapter.connect_with_form(
        base_url=BASE_URL,
        values={"handle": "@Stadt-Musterstadt", "password": "x"},
        session=sandbox_session(),
    )
    account = SandboxAccount.objects.get()
    assert choice.account_id == str(account.pk)
    assert choice.handle == "stadt-musterstadt" == choice.name
    assert choice.url.endswith("/sandbox/@stadt-musterstadt/")
    assert set(choice.credentials) == {"access_token", "refresh_token", "expires_at"}
    expires_at = datetime.fromisoformat(choice.credentials["expires_at"])
    assert expires_at.tzinfo is not None and expires_at > datetime.now(UTC)


def test_connect_refuses_bad_input(db: None) -> None:
    with pytest.raises(AuthenticationError):
        SandboxAdapter.connect_with_form(
            base_url=BASE_URL, values={"handle": "stadt", "password": ""}, session=sandbox_session()
        )
    with pytest.raises(AuthenticationError):
        SandboxAdapter.connect_with_form(
            base_url=BASE_URL,
            values={"handle": "kein gültiger name", "password": "x"},
            session=sandbox_session(),
        )


def test_base_url_defaults_to_the_setting(adapter: SandboxAdapter) -> None:
    default = SandboxAdapter(ChannelContext(platform="sandbox"), adapter.credentials)
    assert default.base_url == BASE_URL
    info = adapter.test_connection()
    assert info.handle == HANDLE and info.account_id == adapter.context.account_id


# --- Validation and publishing -------------------------------------------------------------


def test_validate_uses_the_server_limits(
    adapter: SandboxAdapter,
    content: Callable[..., PostContent],
    image_file: MediaItem,
    video_file: MediaItem,
) -> None:
    assert adapter.validate(content()) == []
    assert adapter.validate(content("👨‍👩‍👧‍👦" * 1000)) == []
    assert [p.code for p in adapter.validate(content("x" * 1001))] == ["text_too_long"]
    assert [p.code for p in adapter.validate(content(""))] == ["text_empty"]
    codes = [p.code for p in adapter.validate(content(media=(image_file,) * 5))]
    assert codes == ["too_many_images"]
    codes = [p.code for p in adapter.validate(content(media=(image_file, video_file)))]
    assert codes == ["media_mixed"]
    long_alt = MediaItem(**{**image_file.__dict__, "alt_text": "a" * 1501})
    assert [p.code for p in adapter.validate(content(media=(long_alt,)))] == ["alt_text_too_long"]
    tiff = MediaItem(**{**image_file.__dict__, "mime_type": "image/tiff"})
    assert [p.code for p in adapter.validate(content(media=(tiff,)))] == ["media_type"]


def test_publish_with_image_and_alt_text(
    adapter: SandboxAdapter, content: Callable[..., PostContent], image_file: MediaItem
) -> None:
    result = adapter.publish(
        content(media=(image_file,), link="https://www.musterstadt.example/buergerbuero"),
        "key-image",
    )
    post = SandboxPost.objects.get(remote_id=result.remote_id)
    assert post.text == "Heute ist das Bürgerbüro bis 18 Uhr geöffnet."
    assert post.link == "https://www.musterstadt.example/buergerbuero"
    assert post.idempotency_key == "key-image"
    media = post.media.get()
    assert media.alt_text == image_file.alt_text and media.mime_type == "image/jpeg"
    assert result.url.endswith(f"/sandbox/posts/{result.remote_id}/")
    assert result.published_at is not None and result.published_at.tzinfo is not None
    page = Client().get(f"/sandbox/posts/{result.remote_id}/").content.decode()
    assert f'alt="{image_file.alt_text}"' in page


def test_publish_video(
    adapter: SandboxAdapter, content: Callable[..., PostContent], video_file: MediaItem
) -> None:
    result = adapter.publish(content(media=(video_file,)), "key-video")
    assert SandboxMedia.objects.get(post__remote_id=result.remote_id).mime_type == "video/mp4"


def test_invalid_content_is_refused_before_any_upload(
    adapter: SandboxAdapter, content: Callable[..., PostContent], image_file: MediaItem
) -> None:
    with pytest.raises(ContentRejectedError) as caught:
        adapter.publish(content("x" * 1001, media=(image_file,)), "key")
    assert caught.value.code == "text_too_long"
    assert not SandboxMedia.objects.exists()
    assert stats()["posts_received"] == 0


def test_text_file_renamed_jpg_is_rejected_by_the_server(
    adapter: SandboxAdapter, content: Callable[..., PostContent], tmp_path: Path
) -> None:
    fake = tmp_path / "foto.jpg"
    fake.write_text("Das ist kein Bild.", encoding="utf-8")
    item = MediaItem(
        path=str(fake),
        mime_type="image/jpeg",
        kind=MediaKind.IMAGE,
        size=fake.stat().st_size,
        alt_text="Ein Foto",
    )
    assert adapter.validate(content(media=(item,))) == []  # the name and type look fine
    with pytest.raises(ContentRejectedError) as caught:
        adapter.publish(content(media=(item,)), "key-fake")
    assert caught.value.status == 422
    assert caught.value.code == "unsupported_media"
    assert not SandboxPost.objects.exists()


def test_retry_with_the_same_key_returns_the_same_post(
    adapter: SandboxAdapter, content: Callable[..., PostContent]
) -> None:
    first = adapter.publish(content(), "key-retry")
    second = adapter.publish(content(), "key-retry")
    assert second.remote_id == first.remote_id
    assert stats() == {
        "posts_received": 2,
        "posts_created": 1,
        "idempotent_replays": 1,
        "duplicates": 0,
    }


def test_find_published_is_a_pure_lookup(
    adapter: SandboxAdapter, content: Callable[..., PostContent]
) -> None:
    assert adapter.find_published(content(), "never-sent") is None
    assert not SandboxPost.objects.exists()  # the lookup did not publish
    result = adapter.publish(content(), "key-find")
    found = adapter.find_published(content(), "key-find")
    assert found is not None and found.remote_id == result.remote_id
    # Even after deletion the key stays used: nothing must be published a second time.
    adapter.delete(result.remote_id)
    found = adapter.find_published(content(), "key-find")
    assert found is not None and found.remote_id == result.remote_id


# --- Fault injection -----------------------------------------------------------------------


def test_server_error_then_retry_publishes_once(
    adapter: SandboxAdapter, content: Callable[..., PostContent]
) -> None:
    control(fail_status=500, fail_count=1)
    with pytest.raises(TransientError) as caught:
        adapter.publish(content(), "key-500")
    assert caught.value.status == 500
    assert not isinstance(caught.value, RateLimitedError)
    result = adapter.publish(content(), "key-500")
    assert SandboxPost.objects.get().remote_id == result.remote_id
    assert stats()["duplicates"] == 0 and stats()["posts_received"] == 2


def test_rate_limit_carries_retry_after(
    adapter: SandboxAdapter, content: Callable[..., PostContent]
) -> None:
    control(fail_status=429, fail_count=1, retry_after_seconds=7)
    with pytest.raises(RateLimitedError) as caught:
        adapter.publish(content(), "key-429")
    assert caught.value.retry_after == 7.0
    assert caught.value.status == 429
    adapter.publish(content(), "key-429")
    assert stats()["posts_created"] == 1


def test_accept_then_timeout_is_transient_and_recoverable(
    adapter: SandboxAdapter, content: Callable[..., PostContent], settings: Any
) -> None:
    settings.PLATFORM_READ_TIMEOUT = 0.1
    control(timeout_after_accept_count=1, timeout_after_accept_seconds=0.3)
    with pytest.raises(TransientError):
        adapter.publish(content(), "key-timeout")
    # The platform did accept: the recovery lookup finds the post …
    found = adapter.find_published(content(), "key-timeout")
    assert found is not None
    # … and a plain retry with the same key gives the same post.
    again = adapter.publish(content(), "key-timeout")
    assert again.remote_id == found.remote_id
    assert stats() == {
        "posts_received": 2,
        "posts_created": 1,
        "idempotent_replays": 1,
        "duplicates": 0,
    }


def test_expired_token_then_refresh(db: None) -> None:
    stored: list[dict[str, Any]] = []
    adapter = connect(on_credentials_changed=stored.append)
    old = dict(adapter.credentials)
    control(expire_token=True)
    with pytest.raises(AuthenticationError) as caught:
        adapter.test_connection()
    assert caught.value.status == 401 and caught.value.code == "invalid_token"
    new = adapter.refresh_credentials()
    assert new is not None
    assert stored == [new]
    assert new["access_token"] != old["access_token"]
    assert new["refresh_token"] and new["refresh_token"] != old["refresh_token"]
    assert datetime.fromisoformat(new["expires_at"]) > datetime.now(UTC)
    assert adapter.test_connection().handle == HANDLE


def test_refresh_keeps_the_old_refresh_token_if_none_comes_back() -> None:
    adapter = SandboxAdapter(
        ChannelContext(platform="sandbox", base_url="https://sandbox.example/api/v1"),
        {"access_token": "a", "refresh_token": "r-old", "expires_at": ""},
    )
    with responses.RequestsMock() as mocked:
        mocked.post(
            "https://sandbox.example/api/v1/oauth/token",
            json={"access_token": "a-new", "token_type": "Bearer", "expires_in": 60},
        )
        new = adapter.refresh_credentials()
    assert new is not None
    assert new["access_token"] == "a-new" and new["refresh_token"] == "r-old"


def test_refresh_with_an_unknown_refresh_token_needs_reconnect(adapter: SandboxAdapter) -> None:
    adapter.credentials["refresh_token"] = "sbr_unknown"
    with pytest.raises(AuthenticationError):
        adapter.refresh_credentials()
    adapter.credentials.pop("refresh_token")
    with pytest.raises(AuthenticationError):
        adapter.refresh_credentials()


def test_revoke_ends_the_access(adapter: SandboxAdapter) -> None:
    adapter.revoke()
    with pytest.raises(AuthenticationError):
        adapter.test_connection()
    with pytest.raises(AuthenticationError):
        adapter.refresh_credentials()


# --- Delete, metrics, comments -------------------------------------------------------------


def test_delete(adapter: SandboxAdapter, content: Callable[..., PostContent]) -> None:
    result = adapter.publish(content(), "key-delete")
    adapter.delete(result.remote_id)
    assert SandboxPost.objects.get().deleted_at is not None
    with pytest.raises(RemoteNotFoundError):
        adapter.delete(result.remote_id)
    other = connect("polizei")
    theirs = other.publish(content("Polizei"), "key-police")
    with pytest.raises(RemoteNotFoundError):
        adapter.delete(theirs.remote_id)


def test_metrics_grow_over_time(
    db: None, content: Callable[..., PostContent], settings: Any
) -> None:
    settings.SANDBOX_ACCESS_TOKEN_SECONDS = 30 * 24 * 3600
    with time_machine.travel(START, tick=False) as traveller:
        adapter = connect()
        ids = [adapter.publish(content(f"Post {i}"), f"key-m{i}").remote_id for i in range(3)]
        before = {m.remote_id: m for m in adapter.fetch_post_metrics([*ids, "unknown"])}
        assert set(before) == set(ids)
        followers_before = adapter.fetch_account_metrics().followers
        traveller.shift(timedelta(hours=30))
        after = {m.remote_id: m for m in adapter.fetch_post_metrics(ids)}
        for remote_id in ids:
            for key in ("impressions", "reach", "likes", "comments", "shares", "clicks"):
                old, new = getattr(before[remote_id], key), getattr(after[remote_id], key)
                assert old is not None and new is not None and new >= old, key
            assert after[remote_id].impressions > before[remote_id].impressions  # type: ignore[operator]
        account = adapter.fetch_account_metrics()
        assert account.posts == 3
        assert account.followers is not None and followers_before is not None
        assert account.followers > followers_before
        # What the posts gained in the last 24 hours (the daily reach of the account).
        assert account.impressions is not None and account.impressions > 0


def test_comments_with_cursor_reply_hide_delete(
    db: None, content: Callable[..., PostContent], settings: Any
) -> None:
    settings.SANDBOX_ACCESS_TOKEN_SECONDS = 30 * 24 * 3600
    with time_machine.travel(START, tick=False) as traveller:
        adapter = connect()
        ids = [adapter.publish(content(f"Post {i}"), f"key-c{i}").remote_id for i in range(2)]
        first = adapter.fetch_comments(None)
        assert first.items == [] and first.next_cursor is None
        traveller.shift(timedelta(hours=5))
        early = adapter.fetch_comments(None)
        assert early.items and early.next_cursor
        traveller.shift(timedelta(days=4))
        later = adapter.fetch_comments(early.next_cursor)
        expected = sum(len(simulation.comment_schedule(i)) for i in ids)
        seen = [c.remote_id for c in early.items + later.items]
        assert len(seen) == len(set(seen)) == expected
        # Fetching again from the start: the same ids, no new rows.
        again = adapter.fetch_comments(None)
        assert [c.remote_id for c in again.items] == seen
        assert SandboxComment.objects.count() == expected
        # Caught up: nothing new, no cursor. An empty page returns no cursor, so the caller
        # keeps the previous one (``later`` itself is empty when every comment came early).
        cursor = later.next_cursor or early.next_cursor
        caught_up = adapter.fetch_comments(cursor)
        assert caught_up.items == [] and caught_up.next_cursor is None

        comment = again.items[0]
        assert comment.post_remote_id in ids and comment.author_id.startswith("citizen-")
        assert comment.created_at is not None and comment.url
        reply = adapter.reply(comment, "Danke für den Hinweis, wir kümmern uns.")
        stored = SandboxComment.objects.get(remote_id=reply.remote_id)
        assert stored.by_account and stored.parent is not None
        assert stored.parent.remote_id == comment.remote_id
        adapter.hide_comment(comment)
        assert SandboxComment.objects.get(remote_id=comment.remote_id).hidden
        adapter.unhide_comment(comment)
        assert not SandboxComment.objects.get(remote_id=comment.remote_id).hidden
        victim = again.items[1]
        adapter.delete_comment(victim)
        with pytest.raises(RemoteNotFoundError):
            adapter.delete_comment(victim)
        listed = adapter.fetch_comments(None).items
        assert victim.remote_id not in {c.remote_id for c in listed}
        mine = next(c for c in listed if c.remote_id == reply.remote_id)
        assert mine.parent_remote_id == comment.remote_id
        assert mine.author_id == adapter.context.account_id


def test_comment_paging_across_pages(
    db: None, content: Callable[..., PostContent], settings: Any, monkeypatch: Any
) -> None:
    settings.SANDBOX_ACCESS_TOKEN_SECONDS = 30 * 24 * 3600
    monkeypatch.setattr("channels_app.adapters.sandbox.COMMENTS_PAGE", 2)
    with time_machine.travel(START, tick=False) as traveller:
        adapter = connect()
        for i in range(2):
            adapter.publish(content(f"Post {i}"), f"key-p{i}")
        traveller.shift(timedelta(days=4))
        cursor: str | None = None
        seen: list[str] = []
        while True:
            page = adapter.fetch_comments(cursor)
            if not page.items:
                break
            assert len(page.items) <= 2
            seen.extend(c.remote_id for c in page.items)
            cursor = page.next_cursor
        assert len(seen) == len(set(seen)) == SandboxComment.objects.count()


# --- Real HTTP: live_server ----------------------------------------------------------------


def _live_adapter(live_server: Any, handle: str) -> SandboxAdapter:
    base_url = f"{live_server.url}/sandbox/api/v1"
    choice = SandboxAdapter.connect_with_form(
        base_url=base_url, values={"handle": handle, "password": "x"}, session=requests.Session()
    )
    return SandboxAdapter(
        ChannelContext(platform="sandbox", account_id=choice.account_id, base_url=base_url),
        choice.credentials,
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishes_with_one_key_make_one_post(
    live_server: Any, content: Callable[..., PostContent], image_file: MediaItem
) -> None:
    credentials = _live_adapter(live_server, "parallel").credentials
    base_url = f"{live_server.url}/sandbox/api/v1"
    count = 8
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def publish(index: int) -> None:
        # One adapter and session per thread, as separate workers would have.
        adapter = SandboxAdapter(ChannelContext(platform="sandbox", base_url=base_url), credentials)
        barrier.wait()
        try:
            results[index] = adapter.publish(content(media=(image_file,)), "key-parallel")
        except Exception as error:  # collected and asserted below
            results[index] = error

    threads = [threading.Thread(target=publish, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(not isinstance(r, Exception) for r in results), results
    assert len({r.remote_id for r in results}) == 1
    assert SandboxPost.objects.count() == 1
    assert SandboxPost.objects.get().media.count() == 1
    summary = stats("parallel")
    assert summary["posts_created"] == 1 and summary["duplicates"] == 0
    assert summary["idempotent_replays"] == count - 1


@pytest.mark.django_db(transaction=True)
def test_real_timeout_after_accept(
    live_server: Any, content: Callable[..., PostContent], settings: Any
) -> None:
    adapter = _live_adapter(live_server, "langsam")
    control("langsam", timeout_after_accept_count=1, timeout_after_accept_seconds=1.0)
    settings.PLATFORM_READ_TIMEOUT = 0.3
    with pytest.raises(TransientError):
        adapter.publish(content(), "key-slow")
    found = adapter.find_published(content(), "key-slow")
    assert found is not None
    assert adapter.publish(content(), "key-slow").remote_id == found.remote_id
    assert stats("langsam")["posts_created"] == 1


# --- Replies exactly once ------------------------------------------------------------------


def _first_comment(adapter: SandboxAdapter, content: Callable[..., PostContent]) -> Any:
    with time_machine.travel(START, tick=False) as traveller:
        adapter.publish(content("Post mit Kommentaren"), "key-reply-post")
        traveller.shift(timedelta(days=5))
        return adapter.fetch_comments(None).items[0]


def test_reply_retried_with_the_same_key_is_one_reply(
    adapter: SandboxAdapter, content: Callable[..., PostContent]
) -> None:
    comment = _first_comment(adapter, content)
    first = adapter.reply(comment, "Danke, wir prüfen das.", "reply-key-1")
    again = adapter.reply(comment, "Danke, wir prüfen das.", "reply-key-1")
    assert again.remote_id == first.remote_id
    assert SandboxComment.objects.filter(by_account=True).count() == 1
    assert stats()["idempotent_replays"] == 1


def test_replies_with_different_keys_are_two_replies(
    adapter: SandboxAdapter, content: Callable[..., PostContent]
) -> None:
    comment = _first_comment(adapter, content)
    adapter.reply(comment, "Danke!", "reply-key-a")
    adapter.reply(comment, "Danke!", "reply-key-b")
    assert SandboxComment.objects.filter(by_account=True).count() == 2


def test_reply_accepted_then_timed_out_is_one_reply_after_the_retry(
    adapter: SandboxAdapter, content: Callable[..., PostContent], settings: Any
) -> None:
    comment = _first_comment(adapter, content)
    settings.PLATFORM_READ_TIMEOUT = 0.1
    control(timeout_after_accept_count=1, timeout_after_accept_seconds=0.3)
    with pytest.raises(TransientError):
        adapter.reply(comment, "Wir kümmern uns.", "reply-key-timeout")
    again = adapter.reply(comment, "Wir kümmern uns.", "reply-key-timeout")
    stored = SandboxComment.objects.get(by_account=True)
    assert stored.remote_id == again.remote_id
    assert stored.idempotency_key == "reply-key-timeout"


def test_reply_server_error_is_transient(
    adapter: SandboxAdapter, content: Callable[..., PostContent]
) -> None:
    comment = _first_comment(adapter, content)
    control(fail_status=503, fail_count=1)
    with pytest.raises(TransientError):
        adapter.reply(comment, "Danke!", "reply-key-503")
    assert not SandboxComment.objects.filter(by_account=True).exists()
    adapter.reply(comment, "Danke!", "reply-key-503")
    assert SandboxComment.objects.filter(by_account=True).count() == 1
