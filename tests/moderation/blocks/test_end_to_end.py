"""End to end: a community manager blocks a commenter on the register page; a real Celery
worker blocks them on the sandbox platform (served by the live server, real HTTP); the
sandbox hides their later comments; the unblock goes the same way, once."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import requests
from celery.contrib.testing.worker import start_worker
from django.test import Client

from channels_app.sandbox.models import SandboxBlock
from config.celery import app as celery_app
from moderation.models import BlockEntry
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import sandbox_connected
from tests.moderation.factories import AuthorFactory
from tests.moderation.factories import InboxItemFactory
from tests.moderation.factories import NetiquetteFactory

pytestmark = pytest.mark.django_db(transaction=True)

P = BlockEntry.PlatformStatus


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


def test_a_block_and_its_lifting_reach_the_sandbox_through_a_real_worker(
    sandbox: str,
    org: Org,
    people: People,
    client_for: Callable[..., Client],
) -> None:
    channel = sandbox_connected(org.press_channel, people, "presse-blocks")
    rule = NetiquetteFactory(unit=org.city).rules.get(number=1)
    author = AuthorFactory(channel=channel, remote_id="citizen-004", handle="jw")
    item = InboxItemFactory(channel=channel, author=author, text="Ihr Versager!")
    client = client_for(people.community_manager)
    with start_worker(
        celery_app,
        pool="threads",
        concurrency=1,
        perform_ping_check=False,
        queues=["default", "publishing"],
    ):
        response = client.post(
            "/moderation/blocks/new/",
            {
                "item": item.pk,
                "rule": rule.pk,
                "justification": "Drohung gegen Mitarbeitende.",
                "why_not_milder": "Eine Drohung darf auch für ihren Verfasser nicht stehen bleiben.",
            },
        )
        assert response.status_code == 302, response.content
        block = BlockEntry.objects.get()
        _wait_for(
            lambda: BlockEntry.objects.get(pk=block.pk).platform_status == P.DONE,
            "the worker did not block on the sandbox",
        )
        assert SandboxBlock.objects.filter(author_id="citizen-004").count() == 1

        response = client.post(f"/moderation/blocks/{block.pk}/lift/", {"reason": "Entschuldigt."})
        assert response.status_code == 302
        _wait_for(
            lambda: not SandboxBlock.objects.filter(author_id="citizen-004").exists(),
            "the worker did not unblock on the sandbox",
        )
        _wait_for(
            lambda: BlockEntry.objects.get(pk=block.pk).platform_status == P.DONE,
            "the unblock was not recorded",
        )
    block = BlockEntry.objects.get(pk=block.pk)
    assert (block.status, block.blocked_on_platform) == (BlockEntry.Status.LIFTED, False)
    me = requests.get(f"{sandbox}/me", timeout=5)
    assert me.status_code == 401  # the sandbox is real HTTP: no token, no answer
