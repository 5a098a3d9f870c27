"""End to end: a community manager hides a citizen's comment with the actions panel's form;
a real Celery worker hides it on the sandbox platform (served by the live server, real
HTTP) after the decision and its evidence were committed."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import Client

from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.models import SandboxComment
from channels_app.sandbox.models import SandboxPost
from config.celery import app as celery_app
from moderation.models import EvidenceRecord
from moderation.models import InboxItem
from moderation.models import ModerationAction
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import sandbox_connected
from tests.moderation.factories import AuthorFactory
from tests.moderation.factories import InboxItemFactory
from tests.moderation.factories import NetiquetteFactory

pytestmark = pytest.mark.django_db(transaction=True)

S = ModerationAction.Status


@pytest.fixture
def sandbox(live_server, settings) -> str:  # type: ignore[no-untyped-def]
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox/api/v1"
    settings.PLATFORM_READ_TIMEOUT = 5
    return settings.SANDBOX_BASE_URL


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_a_hide_reaches_the_sandbox_through_a_real_worker(
    sandbox: str, org: Org, people: People, client_for: Callable[..., Client]
) -> None:
    channel = sandbox_connected(org.press_channel, people, "presse-moderation")
    account = SandboxAccount.objects.get(handle="presse-moderation")
    post = SandboxPost.objects.create(
        account=account, remote_id="p-mod", text="Baustelle", comments_complete=True
    )
    comment = SandboxComment.objects.create(
        post=post, remote_id="c-mod", author_name="W", author_id="citizen-9", text="Idioten!"
    )
    rule = NetiquetteFactory(unit=org.city).rules.get(number=1)
    author = AuthorFactory(channel=channel, remote_id="citizen-9", handle="w")
    item = InboxItemFactory(
        channel=channel,
        author=author,
        remote_id=comment.remote_id,
        post_remote_id=post.remote_id,
        text=comment.text,
    )
    client = client_for(people.community_manager)
    with start_worker(
        celery_app,
        pool="threads",
        concurrency=1,
        perform_ping_check=False,
        queues=["default", "publishing"],
    ):
        response = client.post(
            f"/moderation/actions/items/{item.pk}/",
            {"kind": "hide", "rule": rule.pk, "justification": "Beleidigung."},
        )
        assert response.status_code == 302, response.content
        action = ModerationAction.objects.get()
        _wait_for(
            lambda: ModerationAction.objects.get(pk=action.pk).status == S.DONE,
            "the worker did not hide the comment on the sandbox",
        )
    comment.refresh_from_db()
    assert comment.hidden
    assert InboxItem.objects.get(pk=item.pk).remote_hidden
    assert EvidenceRecord.objects.filter(pk=action.evidence_id).exists()


def test_a_failing_sandbox_leaves_the_comment_and_the_sweeper_retries(
    sandbox: str, org: Org, people: People, client_for: Callable[..., Client]
) -> None:
    from django.utils import timezone

    from moderation.actions.tasks import retry_pending_actions

    channel = sandbox_connected(org.press_channel, people, "presse-stoerung")
    account = SandboxAccount.objects.get(handle="presse-stoerung")
    post = SandboxPost.objects.create(
        account=account, remote_id="p-st", text="Baustelle", comments_complete=True
    )
    comment = SandboxComment.objects.create(
        post=post, remote_id="c-st", author_name="W", author_id="citizen-8", text="Idioten!"
    )
    rule = NetiquetteFactory(unit=org.city).rules.get(number=1)
    author = AuthorFactory(channel=channel, remote_id="citizen-8", handle="w8")
    item = InboxItemFactory(
        channel=channel, author=author, remote_id="c-st", post_remote_id="p-st", text="Idioten!"
    )
    SandboxAccount.objects.filter(pk=account.pk).update(fail_status=502, fail_remaining=1)
    client = client_for(people.community_manager)
    with start_worker(
        celery_app,
        pool="threads",
        concurrency=1,
        perform_ping_check=False,
        queues=["default", "publishing"],
    ):
        response = client.post(
            f"/moderation/actions/items/{item.pk}/",
            {"kind": "hide", "rule": rule.pk, "justification": "Beleidigung."},
        )
        assert response.status_code == 302
        action = ModerationAction.objects.get()
        _wait_for(
            lambda: ModerationAction.objects.get(pk=action.pk).last_error != "",
            "the worker did not try the hide",
        )
        action.refresh_from_db()
        assert action.status == S.PENDING
        assert not InboxItem.objects.get(pk=item.pk).remote_hidden
        comment.refresh_from_db()
        assert not comment.hidden
        ModerationAction.objects.filter(pk=action.pk).update(next_attempt_at=timezone.now())
        assert retry_pending_actions.apply().get() == 1
        _wait_for(
            lambda: ModerationAction.objects.get(pk=action.pk).status == S.DONE,
            "the sweeper's retry did not hide the comment",
        )
    comment.refresh_from_db()
    assert comment.hidden and EvidenceRecord.objects.count() == 1
