"""Sandbox channels reached in-process (the real views, through the real adapter), and
helpers to run ingestion the way the worker does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
import requests
from django.conf import settings
from django.test import Client

from channels_app.adapters.base import AccountChoice
from channels_app.adapters.sandbox import SandboxAdapter
from channels_app.models import Channel
from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.models import SandboxPost
from channels_app.sandbox.services import post_publish
from channels_app.sandbox.services import token_grant_password
from channels_app.services import channel_connect
from moderation.ingestion.services import cursors_ensure
from moderation.ingestion.services import stream_ingest
from moderation.models import IngestCursor
from tests.channels_app.wsgi_transport import mount

# Far enough in the past that a post's whole comment schedule (72 h) is due now.
LONG_AGO = timedelta(days=4)


@pytest.fixture
def session() -> requests.Session:
    session = requests.Session()
    mount(session, settings.SANDBOX_BASE_URL)
    return session


def connect_sandbox(channel: Channel, handle: str) -> Channel:
    """``channel`` connected to the sandbox account ``handle`` (signed up in-process)."""
    tokens = token_grant_password(username=handle, password="pw")
    account = SandboxAccount.objects.get(handle=handle)
    channel_connect(
        actor=None,
        channel=channel,
        choice=AccountChoice(
            account_id=str(account.pk),
            name=account.display_name,
            handle=handle,
            credentials=SandboxAdapter.credentials_from_token_response(tokens),
        ),
    )
    return Channel.objects.get(pk=channel.pk)


def sandbox_posts(handle: str, count: int, *, age: timedelta = LONG_AGO) -> list[SandboxPost]:
    """``count`` posts of the account, written ``age`` ago (their comments are due)."""
    account = SandboxAccount.objects.get(handle=handle)
    posts = [post_publish(account, {"text": f"Beitrag {n}"}).post for n in range(count)]
    SandboxPost.objects.filter(pk__in=[p.pk for p in posts]).update(
        created_at=datetime.now(UTC) - age
    )
    return list(SandboxPost.objects.filter(pk__in=[p.pk for p in posts]))


def control(handle: str, **faults: Any) -> dict[str, Any]:
    response = Client().post(
        f"/sandbox/api/v1/_control/{handle}",
        faults,
        content_type="application/json",
        HTTP_X_SANDBOX_CONTROL=settings.SANDBOX_CONTROL_SECRET,
    )
    assert response.status_code == 200, response.content
    return dict(response.json())


def cursor_of(channel: Channel, stream: str = "comments") -> IngestCursor:
    cursors_ensure(channels=[channel])
    return IngestCursor.objects.get(channel=channel, stream=stream)


@pytest.fixture
def run(session: requests.Session) -> Callable[..., str]:
    """``run(cursor)``: claim the stream and ingest it as the worker does."""

    def run(cursor: IngestCursor) -> str:
        IngestCursor.objects.filter(pk=cursor.pk).update(claimed_at=datetime.now(UTC))
        return stream_ingest(cursor_id=cursor.pk, session=session)

    return run
