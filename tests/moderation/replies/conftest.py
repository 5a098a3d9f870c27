"""Shared fixtures of the replies tests: an item on the press office's channel, a second
community manager (four eyes), and the sandbox platform served by the live server with a
real comment to answer."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests
from django.utils import translation

from accounts.models import Role
from accounts.models import User
from channels_app.models import Channel
from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.models import SandboxComment
from channels_app.sandbox.models import SandboxPost
from moderation.models import InboxItem
from moderation.models import ModerationSettings
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import sandbox_connected
from tests.factories import UserFactory
from tests.moderation.factories import AuthorFactory
from tests.moderation.factories import InboxItemFactory


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in the source language (they are translated later)."""
    with translation.override("en"):
        yield


@pytest.fixture
def item(org: Org) -> InboxItem:
    return InboxItemFactory(channel=org.press_channel, text="Gilt das auch am Wochenende?")


@pytest.fixture
def second_manager(org: Org) -> User:
    return UserFactory(
        email="community2@stadt.example", roles=[(org.press, Role.COMMUNITY_MANAGER)]
    )


@pytest.fixture
def four_eyes(org: Org) -> ModerationSettings:
    return ModerationSettings.objects.create(unit=org.city, replies_need_approval=True)


@pytest.fixture
def sandbox(live_server, settings) -> str:  # type: ignore[no-untyped-def]
    """The sandbox API's base URL; platform calls time out after 3 s."""
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox/api/v1"
    settings.PLATFORM_READ_TIMEOUT = 3
    return settings.SANDBOX_BASE_URL


@pytest.fixture
def control(sandbox: str, settings) -> Callable[..., None]:  # type: ignore[no-untyped-def]
    """``control(handle, **faults)``: the faults the sandbox account shows next."""

    def control(handle: str, **faults: object) -> None:
        response = requests.post(
            f"{sandbox}/_control/{handle}",
            json=faults,
            headers={"X-Sandbox-Control": settings.SANDBOX_CONTROL_SECRET},
            timeout=10,
        )
        assert response.status_code == 200, response.text

    return control


@dataclass
class SandboxThread:
    channel: Channel
    account: SandboxAccount
    comment: SandboxComment
    item: InboxItem
    handle: str

    def our_replies(self) -> list[SandboxComment]:
        return list(SandboxComment.objects.filter(parent=self.comment, by_account=True))


@pytest.fixture
def thread(sandbox: str, org: Org, people: People) -> SandboxThread:
    """A citizen's comment on our sandbox post, stored in the inbox as ingestion would."""
    handle = "stadt-antworten"
    channel = sandbox_connected(org.press_channel, people, handle)
    account = SandboxAccount.objects.get(handle=handle)
    post = SandboxPost.objects.create(
        account=account, remote_id="p-antworten", text="Hitzewarnung", comments_complete=True
    )
    comment = SandboxComment.objects.create(
        post=post,
        remote_id="c-frage",
        author_name="Erika Mustermann",
        author_id="citizen-1",
        text="Gilt das auch am Wochenende?",
    )
    author = AuthorFactory(
        channel=channel, remote_id="citizen-1", handle="erika", display_name="Erika Mustermann"
    )
    item = InboxItemFactory(
        channel=channel,
        author=author,
        remote_id=comment.remote_id,
        post_remote_id=post.remote_id,
        text=comment.text,
    )
    return SandboxThread(channel, account, comment, item, handle)
