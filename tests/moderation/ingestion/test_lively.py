# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The sandbox's lively audience end to end: a citizen edits and deletes comments after
they were ingested; ingestion records both as revisions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import time_machine

from channels_app.sandbox import simulation
from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.models import SandboxPost
from channels_app.sandbox.services import post_publish
from moderation.models import InboxItem
from moderation.models import ItemRevision
from tests.conftest import Org
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.ingestion.conftest import connect_sandbox
from tests.moderation.ingestion.conftest import control
from tests.moderation.ingestion.conftest import cursor_of
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def _post_id_with(change: str) -> str:
    """A post id whose simulated audience edits (or deletes) a comment."""
    for n in range(2000):
        post_id = f"p{n:05d}"
        for churn in simulation.comment_churn(post_id).values():
            if getattr(churn, f"{change}_offset") is not None:
                return post_id
    raise AssertionError("no such post id")


def _run_at(moment: datetime, run: Callable[..., str], cursor: object) -> None:
    with time_machine.travel(moment, tick=False):
        assert run(cursor) == "ok"


def test_edits_and_deletions_become_revisions(org: Org, run: Callable[..., str]) -> None:
    with time_machine.travel(START, tick=False):
        channel = connect_sandbox(org.press_channel, "stadt")
        control("stadt", lively=True)
        account = SandboxAccount.objects.get(handle="stadt")
        edited_post, deleted_post = _post_id_with("edit"), _post_id_with("delete")
        for post_id in dict.fromkeys([edited_post, deleted_post]):
            post = post_publish(account, {"text": post_id}).post
            SandboxPost.objects.filter(pk=post.pk).update(remote_id=post_id)
    cursor = cursor_of(channel)
    for post_id, change in ((edited_post, "edit"), (deleted_post, "delete")):
        churn = next(
            c
            for c in simulation.comment_churn(post_id).values()
            if getattr(c, f"{change}_offset") is not None
        )
        written = simulation.comment_schedule(post_id)[churn.index].offset
        remote_id = simulation.comment_remote_id(post_id, churn.index)
        _run_at(START + written + timedelta(seconds=30), run, cursor)
        before = InboxItem.objects.get(remote_id=remote_id)
        _run_at(START + getattr(churn, f"{change}_offset") + timedelta(seconds=30), run, cursor)
        item = InboxItem.objects.get(remote_id=remote_id)
        revision = ItemRevision.objects.filter(item=item).last()
        assert revision is not None
        if change == "edit":
            assert revision.change == "edited" and revision.previous_text == before.text
            assert item.text == before.text + churn.edit_suffix and item.edited_at
        else:
            assert revision.change == "deleted" and item.remote_deleted_at is not None
