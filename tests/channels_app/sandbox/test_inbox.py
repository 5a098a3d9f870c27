"""The sandbox's lively audience and inbox API: mentions and direct messages, the comment
change feed (edits, hides, deletions), and read fault injection."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from channels_app.sandbox import simulation
from channels_app.sandbox.models import SandboxComment
from channels_app.sandbox.models import SandboxMessage
from channels_app.sandbox.models import SandboxPost
from tests.channels_app.sandbox.support import START
from tests.channels_app.sandbox.support import Api
from tests.channels_app.sandbox.support import control
from tests.channels_app.sandbox.support import token_for

pytestmark = pytest.mark.django_db


def _lively_api(client: Client) -> Api:
    api = Api(client, token_for(client)["access_token"])
    assert control(client, "stadt", lively=True).json()["lively"] is True
    return api


def test_mentions_and_messages_appear_for_a_lively_account_only(client: Client) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        quiet = Api(client, token_for(client, "ruhig")["access_token"])
        api = _lively_api(client)
        traveller.shift(timedelta(hours=13))
        mentions = api.get("/mentions", limit=100)[1]
        messages = api.get("/messages", limit=100)[1]
        assert mentions["data"] and messages["data"]
        assert all(m["kind"] == "mention" and "@stadt" in m["text"] for m in mentions["data"])
        assert all(m["kind"] == "message" for m in messages["data"])
        times = [m["created_at"] for m in mentions["data"]]
        assert times == sorted(times)
        assert quiet.get("/mentions")[1]["data"] == []
        # Polling on from the cursor gives only what came since; generation is idempotent.
        traveller.shift(timedelta(hours=12))
        later = api.get("/mentions", cursor=mentions["next_cursor"], limit=100)[1]["data"]
        ids = [m["id"] for m in mentions["data"] + later]
        assert len(ids) == len(set(ids)) == SandboxMessage.objects.filter(kind="mention").count()


def test_the_change_feed_shows_edits_hides_and_deletions(client: Client) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        api = Api(client, token_for(client)["access_token"])
        api.post("/posts", {"text": "Beitrag"})
        traveller.shift(timedelta(days=4))
        first = api.get("/comments", changes=1, limit=100)[1]
        cursor = first["next_cursor"]
        target, victim = first["data"][0]["id"], first["data"][1]["id"]
        traveller.shift(timedelta(minutes=1))
        api.post(f"/comments/{target}/hide")
        traveller.shift(timedelta(minutes=1))
        api.delete(f"/comments/{victim}")
        changes = api.get("/comments", changes=1, cursor=cursor)[1]["data"]
        assert [c["id"] for c in changes] == [target, victim]
        assert changes[0]["hidden"] is True and changes[1]["deleted_at"]
        # The plain list is unchanged in meaning: new comments only, no deleted ones.
        plain = [c["id"] for c in api.get("/comments", limit=100)[1]["data"]]
        assert victim not in plain


def test_a_lively_audience_edits_and_deletes_on_schedule(client: Client) -> None:
    post_id = next(
        f"p{n:05d}"
        for n in range(2000)
        if any(c.edit_offset for c in simulation.comment_churn(f"p{n:05d}").values())
    )
    with time_machine.travel(START, tick=False) as traveller:
        api = _lively_api(client)
        post = api.post("/posts", {"text": "Beitrag"})[1]
        SandboxPost.objects.filter(remote_id=post["id"]).update(remote_id=post_id)
        traveller.shift(timedelta(days=4))
        api.get("/comments", changes=1, limit=100)
    edited = SandboxComment.objects.filter(post__remote_id=post_id, edited_at__isnull=False)
    assert edited.exists()
    churn = simulation.comment_churn(post_id)
    for comment in edited:
        index = int(comment.remote_id.rsplit("-c", 1)[1])
        assert comment.text.endswith(churn[index].edit_suffix)
        assert comment.changed_at == comment.edited_at or comment.deleted_at
    assert SandboxPost.objects.get(remote_id=post_id).comments_complete


@pytest.mark.parametrize("path", ["/comments", "/mentions", "/messages"])
def test_reads_fail_as_injected_then_recover(client: Client, path: str) -> None:
    api = _lively_api(client)
    control(client, "stadt", fail_status=429, retry_after_seconds=7, read_fail_after=1)
    control(client, "stadt", read_fail_count=2)
    assert api.get(path)[0] == 200
    response = client.get(f"/sandbox/api/v1{path}", **api.auth)
    assert response.status_code == 429 and response["Retry-After"] == "7"
    assert api.get(path)[0] == 429
    assert api.get(path)[0] == 200


def test_reset_clears_read_faults(client: Client) -> None:
    token_for(client)
    control(client, "stadt", read_fail_count=3)
    data: dict[str, Any] = control(client, "stadt", reset=True).json()
    assert data["read_fail_remaining"] == 0 and data["read_fail_after"] == 0
