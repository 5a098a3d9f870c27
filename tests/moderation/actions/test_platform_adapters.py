"""``unhide_comment`` and ``disable_comments`` of each adapter at the HTTP boundary, with the
request shapes of the platforms' API documentation (``responses``), and the sandbox against
its real server in-process."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
import responses

from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.bluesky import BlueskyAdapter
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.facebook import GRAPH_URL
from channels_app.adapters.facebook import FacebookAdapter
from channels_app.adapters.instagram import InstagramAdapter
from channels_app.adapters.mastodon import MastodonAdapter
from channels_app.adapters.sandbox import SandboxAdapter
from channels_app.sandbox import services as sandbox_services
from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.models import SandboxComment
from channels_app.sandbox.models import SandboxPost
from channels_app.services import platform_comment_moderation
from tests.channels_app.wsgi_transport import mount

DID = "did:plc:stadtmusterstadt0000000"
PDS = "https://bsky.social"
POST_URI = f"at://{DID}/app.bsky.feed.post/3kpost"
REPLY_URI = "at://did:plc:wutbuerger00000000000000/app.bsky.feed.post/3kreply"
BASE = "http://testserver/sandbox/api/v1"


def comment(remote_id: str, post: str = "") -> RemoteComment:
    return RemoteComment(
        remote_id=remote_id,
        post_remote_id=post,
        author_name="Wutbürger",
        author_id="a1",
        text="…",
        created_at=None,
    )


@pytest.mark.parametrize(
    "platform, hide, unhide, delete, comments_off",
    [
        ("sandbox", True, True, True, True),
        ("instagram", True, True, True, True),
        ("bluesky", True, True, False, True),
        ("facebook", True, True, True, False),
        ("telegram", False, False, False, False),
    ],
)
def test_what_each_platform_offers(
    platform: str, hide: bool, unhide: bool, delete: bool, comments_off: bool
) -> None:
    offered = platform_comment_moderation(platform)
    assert (offered.hide, offered.unhide, offered.delete, offered.disable_comments) == (
        hide,
        unhide,
        delete,
        comments_off,
    )


def test_a_platform_without_it_says_unsupported() -> None:
    adapter = MastodonAdapter(ChannelContext(platform="mastodon", base_url="https://x.social"), {})
    with pytest.raises(NotSupportedError):
        adapter.disable_comments("1")
    with pytest.raises(NotSupportedError):
        adapter.unhide_comment(comment("1"))


@responses.activate
def test_instagram_shows_again_with_hide_false() -> None:
    responses.post(f"{GRAPH_URL}/17890", json={"success": True})
    adapter = InstagramAdapter(
        ChannelContext(platform="instagram", account_id="1784"), {"access_token": "EAAG0123456"}
    )
    adapter.unhide_comment(comment("17890"))
    assert "hide=false" in responses.calls[0].request.body


@responses.activate
def test_instagram_switches_comments_off_on_the_media() -> None:
    responses.post(f"{GRAPH_URL}/17999", json={"success": True})
    adapter = InstagramAdapter(
        ChannelContext(platform="instagram", account_id="1784"), {"access_token": "EAAG0123456"}
    )
    adapter.disable_comments("17999")
    assert "comment_enabled=false" in responses.calls[0].request.body


@responses.activate
def test_facebook_shows_again_with_is_hidden_false() -> None:
    responses.post(f"{GRAPH_URL}/1048_77", json={"success": True})
    adapter = FacebookAdapter(
        ChannelContext(platform="facebook", account_id="104857600"), {"access_token": "EAAG0123456"}
    )
    adapter.unhide_comment(comment("1048_77"))
    assert "is_hidden=false" in responses.calls[0].request.body


@pytest.fixture
def bluesky() -> BlueskyAdapter:
    return BlueskyAdapter(
        ChannelContext(platform="bluesky", account_id=DID),
        {"access_token": "access-jwt-0123456789", "did": DID},
    )


def _gate(**record: Any) -> dict[str, Any]:
    return {
        "uri": f"at://{DID}/app.bsky.feed.threadgate/3kpost",
        "cid": "bafygate",
        "value": {"$type": "app.bsky.feed.threadgate", "post": POST_URI, **record},
    }


@responses.activate
def test_bluesky_switches_comments_off_with_an_empty_allow(bluesky: BlueskyAdapter) -> None:
    responses.get(f"{PDS}/xrpc/com.atproto.repo.getRecord", json=_gate(hiddenReplies=[REPLY_URI]))
    responses.post(f"{PDS}/xrpc/com.atproto.repo.putRecord", json={"uri": "x", "cid": "y"})
    bluesky.disable_comments(POST_URI)
    sent = json.loads(responses.calls[1].request.body)
    assert sent["rkey"] == "3kpost" and sent["swapRecord"] == "bafygate"
    assert sent["record"]["allow"] == [] and sent["record"]["hiddenReplies"] == [REPLY_URI]


@responses.activate
def test_bluesky_shows_a_reply_again(bluesky: BlueskyAdapter) -> None:
    responses.get(f"{PDS}/xrpc/com.atproto.repo.getRecord", json=_gate(hiddenReplies=[REPLY_URI]))
    responses.post(f"{PDS}/xrpc/com.atproto.repo.putRecord", json={"uri": "x", "cid": "y"})
    bluesky.unhide_comment(comment(REPLY_URI, POST_URI))
    assert json.loads(responses.calls[1].request.body)["record"]["hiddenReplies"] == []


@responses.activate
def test_bluesky_refuses_threads_of_others(bluesky: BlueskyAdapter) -> None:
    with pytest.raises(NotSupportedError):
        bluesky.disable_comments("at://did:plc:someoneelse/app.bsky.feed.post/3k")
    assert not responses.calls


@pytest.fixture
def sandbox(settings, db) -> SandboxAdapter:  # type: ignore[no-untyped-def]
    settings.SANDBOX_BASE_URL = BASE
    settings.SANDBOX_ENABLED = True
    session = requests.Session()
    mount(session, BASE)
    choice = SandboxAdapter.connect_with_form(
        base_url=BASE, values={"handle": "stadt-moderation", "password": "pw"}, session=session
    )
    context = ChannelContext(platform="sandbox", account_id=choice.account_id, base_url=BASE)
    return SandboxAdapter(context, choice.credentials, session=session)


def test_the_sandbox_switches_comments_off_and_no_comment_follows(
    sandbox: SandboxAdapter,
) -> None:
    account = SandboxAccount.objects.get(handle="stadt-moderation")
    post = SandboxPost.objects.create(account=account, remote_id="p-off", text="Hitzewarnung")
    sandbox.disable_comments("p-off")
    sandbox.disable_comments("p-off")  # idempotent
    post.refresh_from_db()
    assert post.comments_closed_at is not None
    from datetime import timedelta

    sandbox_services.comments_materialise([post], now=post.created_at + timedelta(days=3))
    assert not SandboxComment.objects.filter(post=post, created_at__gt=post.comments_closed_at)


def test_the_sandbox_hides_and_shows_again(sandbox: SandboxAdapter) -> None:
    account = SandboxAccount.objects.get(handle="stadt-moderation")
    post = SandboxPost.objects.create(account=account, remote_id="p-hide", text="Text")
    made = SandboxComment.objects.create(
        post=post, remote_id="c-hide", author_name="A", author_id="a", text="Idiot"
    )
    sandbox.hide_comment(comment("c-hide"))
    sandbox.unhide_comment(comment("c-hide"))
    made.refresh_from_db()
    assert made.hidden is False


def test_the_sandboxs_injected_failure_reaches_a_hide(sandbox: SandboxAdapter) -> None:
    from channels_app.adapters.errors import TransientError

    account = SandboxAccount.objects.get(handle="stadt-moderation")
    post = SandboxPost.objects.create(account=account, remote_id="p-fail", text="Text")
    made = SandboxComment.objects.create(
        post=post, remote_id="c-fail", author_name="A", author_id="a", text="Idiot"
    )
    SandboxAccount.objects.filter(pk=account.pk).update(fail_status=500, fail_remaining=1)
    with pytest.raises(TransientError):
        sandbox.hide_comment(comment("c-fail"))
    made.refresh_from_db()
    assert not made.hidden
    sandbox.hide_comment(comment("c-fail"))
    made.refresh_from_db()
    assert made.hidden
