"""``block_author``/``unblock_author`` of each adapter at the HTTP boundary, with the request
and answer shapes of the platforms' API documentation (``responses``), and the sandbox
against its real server in-process."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import requests
import responses
from django.test import Client

from channels_app.adapters.base import ChannelContext
from channels_app.adapters.bluesky import BlueskyAdapter
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.facebook import GRAPH_URL
from channels_app.adapters.facebook import FacebookAdapter
from channels_app.adapters.linkedin import LinkedInAdapter
from channels_app.adapters.sandbox import SandboxAdapter
from channels_app.adapters.telegram import TelegramAdapter
from channels_app.adapters.x import XAdapter
from channels_app.adapters.youtube import YouTubeAdapter
from channels_app.sandbox import simulation
from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.models import SandboxBlock
from channels_app.sandbox.models import SandboxComment
from channels_app.sandbox.models import SandboxPost
from channels_app.services import platform_author_blocking
from tests.channels_app.wsgi_transport import mount
from tests.conftest import de

DID = "did:plc:stadtmusterstadt0000000"
BLOCKED_DID = "did:plc:wutbuerger00000000000000"
PDS = "https://bsky.social"


def body(call: Any) -> Any:
    return json.loads(call.request.body)


# --- Which platforms can ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "platform, block, unblock",
    [
        ("mastodon", True, True),
        ("bluesky", True, True),
        ("facebook", True, True),
        ("telegram", True, True),
        ("sandbox", True, True),
        ("youtube", True, False),  # banAuthor exists, an unban does not
        ("x", False, False),  # Enterprise plan and block.write only
        ("instagram", False, False),
        ("linkedin", False, False),
        ("threads", False, False),
    ],
)
def test_which_platforms_block_and_unblock_through_their_api(
    platform: str, block: bool, unblock: bool
) -> None:
    support = platform_author_blocking(platform)
    assert (support.block, support.unblock) == (block, unblock)


def test_a_platform_without_it_says_unsupported() -> None:
    adapter = LinkedInAdapter(ChannelContext(platform="linkedin"), {})
    with pytest.raises(NotSupportedError):
        adapter.block_author("urn:li:person:1")
    with pytest.raises(NotSupportedError):
        adapter.unblock_author("urn:li:person:1")


# --- Bluesky ----------------------------------------------------------------------------------


@pytest.fixture
def bluesky() -> BlueskyAdapter:
    return BlueskyAdapter(
        ChannelContext(platform="bluesky", account_id=DID),
        {"access_token": "access-jwt-0123456789", "did": DID},
    )


@responses.activate
def test_bluesky_blocks_with_a_graph_block_record(bluesky: BlueskyAdapter) -> None:
    responses.post(
        f"{PDS}/xrpc/com.atproto.repo.createRecord",
        json={"uri": f"at://{DID}/app.bsky.graph.block/3kabc", "cid": "bafyreib2"},
    )
    bluesky.block_author(BLOCKED_DID)
    sent = body(responses.calls[0])
    assert (sent["repo"], sent["collection"]) == (DID, "app.bsky.graph.block")
    assert sent["record"]["$type"] == "app.bsky.graph.block"
    assert sent["record"]["subject"] == BLOCKED_DID
    assert sent["record"]["createdAt"].endswith("Z")
    assert sent["rkey"] == bluesky._block_rkey(BLOCKED_DID)


@responses.activate
def test_bluesky_unblock_deletes_that_record(bluesky: BlueskyAdapter) -> None:
    responses.post(f"{PDS}/xrpc/com.atproto.repo.deleteRecord", json={})
    bluesky.unblock_author(BLOCKED_DID)
    assert body(responses.calls[0]) == {
        "repo": DID,
        "collection": "app.bsky.graph.block",
        "rkey": bluesky._block_rkey(BLOCKED_DID),
    }


@responses.activate
def test_a_retried_bluesky_block_finds_the_record_of_the_first_attempt(
    bluesky: BlueskyAdapter,
) -> None:
    rkey = bluesky._block_rkey(BLOCKED_DID)
    responses.post(
        f"{PDS}/xrpc/com.atproto.repo.createRecord",
        status=400,
        json={"error": "InvalidRequest", "message": "Record already exists"},
    )
    responses.get(
        f"{PDS}/xrpc/com.atproto.repo.getRecord",
        json={
            "uri": f"at://{DID}/app.bsky.graph.block/{rkey}",
            "cid": "bafyreib2",
            "value": {
                "$type": "app.bsky.graph.block",
                "subject": BLOCKED_DID,
                "createdAt": "2026-03-02T09:00:00.000Z",
            },
        },
    )
    bluesky.block_author(BLOCKED_DID)  # no error: the block stands
    assert len(responses.calls) == 2


def test_bluesky_refuses_an_author_id_that_is_no_did(bluesky: BlueskyAdapter) -> None:
    with pytest.raises(Exception, match=re.escape(de("The platform does not know this account."))):
        bluesky.block_author("wutbuerger.bsky.social")


# --- Facebook ---------------------------------------------------------------------------------


@pytest.fixture
def facebook() -> FacebookAdapter:
    return FacebookAdapter(
        ChannelContext(platform="facebook", account_id="104857600"), {"access_token": "EAAG0123456"}
    )


@responses.activate
def test_facebook_blocks_through_the_pages_blocked_edge(facebook: FacebookAdapter) -> None:
    responses.post(f"{GRAPH_URL}/104857600/blocked", json={"7700112233": True})
    facebook.block_author("7700112233")
    assert "user=7700112233" in responses.calls[0].request.body
    assert responses.calls[0].request.headers["Authorization"] == "Bearer EAAG0123456"


@responses.activate
def test_facebook_unblocks_with_delete_on_the_edge(facebook: FacebookAdapter) -> None:
    responses.delete(f"{GRAPH_URL}/104857600/blocked", json={"success": True})
    facebook.unblock_author("7700112233")
    assert responses.calls[0].request.method == "DELETE"


@responses.activate
def test_facebook_refusing_the_page_token_needs_a_reconnect(facebook: FacebookAdapter) -> None:
    responses.post(
        f"{GRAPH_URL}/104857600/blocked",
        status=403,
        json={
            "error": {
                "message": "(#200) Requires pages_manage_engagement permission",
                "type": "OAuthException",
                "code": 200,
                "fbtrace_id": "AbC",
            }
        },
    )
    with pytest.raises(AuthenticationError):
        facebook.block_author("7700112233")


# --- Telegram ---------------------------------------------------------------------------------

BOT = "7012345678:AAF0123456789abcdefghijKLMNOPQRSTu"


@pytest.fixture
def telegram() -> TelegramAdapter:
    return TelegramAdapter(
        ChannelContext(platform="telegram", account_id="-1001234567890"), {"bot_token": BOT}
    )


@responses.activate
def test_telegram_bans_the_member(telegram: TelegramAdapter) -> None:
    responses.post(
        f"https://api.telegram.org/bot{BOT}/banChatMember", json={"ok": True, "result": True}
    )
    telegram.block_author("555001")
    assert body(responses.calls[0]) == {"chat_id": "-1001234567890", "user_id": 555001}


@responses.activate
def test_telegram_unbans_only_if_banned(telegram: TelegramAdapter) -> None:
    responses.post(
        f"https://api.telegram.org/bot{BOT}/unbanChatMember", json={"ok": True, "result": True}
    )
    telegram.unblock_author("555001")
    assert body(responses.calls[0]) == {
        "chat_id": "-1001234567890",
        "user_id": 555001,
        "only_if_banned": True,
    }


@responses.activate
def test_telegram_without_the_right_to_ban_is_refused(telegram: TelegramAdapter) -> None:
    responses.post(
        f"https://api.telegram.org/bot{BOT}/banChatMember",
        status=400,
        json={"ok": False, "error_code": 400, "description": "Bad Request: not enough rights"},
    )
    with pytest.raises(Exception, match="rights"):
        telegram.block_author("555001")


# --- YouTube and X ----------------------------------------------------------------------------


def test_youtube_bans_only_through_a_comment() -> None:
    adapter = YouTubeAdapter(
        ChannelContext(platform="youtube", account_id="UCstadt"), {"access_token": "ya29.x"}
    )
    with pytest.raises(ContentRejectedError):
        adapter.block_author("UCwut")
    with pytest.raises(NotSupportedError):
        adapter.unblock_author("UCwut")


@responses.activate
def test_x_block_and_unblock_are_shaped_as_documented() -> None:
    adapter = XAdapter(ChannelContext(platform="x", account_id="42"), {"access_token": "x-token"})
    responses.post("https://api.x.com/2/users/42/blocking", json={"data": {"blocking": True}})
    responses.delete(
        "https://api.x.com/2/users/42/blocking/2244994945", json={"data": {"blocking": False}}
    )
    adapter.block_author("2244994945")
    adapter.unblock_author("2244994945")
    assert body(responses.calls[0]) == {"target_user_id": "2244994945"}


# --- The sandbox, served in-process -----------------------------------------------------------

BASE = "http://testserver/sandbox/api/v1"


@pytest.fixture
def sandbox(settings, db) -> SandboxAdapter:  # type: ignore[no-untyped-def]
    settings.SANDBOX_BASE_URL = BASE
    settings.SANDBOX_ENABLED = True
    session = requests.Session()
    mount(session, BASE)
    choice = SandboxAdapter.connect_with_form(
        base_url=BASE, values={"handle": "stadt", "password": "pw"}, session=session
    )
    context = ChannelContext(platform="sandbox", account_id=choice.account_id, base_url=BASE)
    return SandboxAdapter(context, choice.credentials, session=session)


def test_the_sandbox_blocks_and_unblocks_idempotently(sandbox: SandboxAdapter) -> None:
    author = simulation.author_id_for(2)
    sandbox.block_author(author)
    sandbox.block_author(author)
    assert SandboxBlock.objects.filter(author_id=author).count() == 1
    sandbox.unblock_author(author)
    sandbox.unblock_author(author)
    assert not SandboxBlock.objects.exists()


def test_the_sandbox_hides_a_blocked_authors_later_comments(sandbox: SandboxAdapter) -> None:
    from datetime import timedelta

    from django.utils import timezone

    account = SandboxAccount.objects.get(handle="stadt")
    post = SandboxPost.objects.create(
        account=account,
        remote_id="p-blocks",
        text="Straßensperrung",
        created_at=timezone.now() - timedelta(hours=80),
    )
    schedule = simulation.comment_schedule(post.remote_id)
    first = schedule[0]
    # Blocked from the middle of the schedule on: earlier comments stay, later ones hide.
    since = post.created_at + schedule[len(schedule) // 2].offset
    SandboxBlock.objects.create(account=account, author_id=first.author_id, created_at=since)
    sandbox.fetch_comments(None)
    comments = SandboxComment.objects.filter(post=post, author_id=first.author_id)
    assert comments.exists()
    for comment in comments:
        assert comment.hidden == (comment.created_at >= since)


def test_an_injected_failure_reaches_the_block_call(sandbox: SandboxAdapter) -> None:
    from channels_app.adapters.errors import TransientError

    response = Client().post(
        "/sandbox/api/v1/_control/stadt",
        {"fail_status": 503, "fail_count": 1},
        content_type="application/json",
        HTTP_X_SANDBOX_CONTROL="test-sandbox-control",
    )
    assert response.status_code == 200
    with pytest.raises(TransientError):
        sandbox.block_author("citizen-3")
    sandbox.block_author("citizen-3")
    assert SandboxBlock.objects.filter(author_id="citizen-3").exists()
