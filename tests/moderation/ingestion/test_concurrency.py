"""Race safety with real concurrent transactions: two runs storing overlapping items of one
channel at the same moment (the comments and the mentions stream of a Mastodon channel see
the same status) store each item and each author exactly once."""

from __future__ import annotations

import threading
from datetime import UTC
from datetime import datetime

import pytest
from django.db import connection

from channels_app.adapters.base import RemoteComment
from moderation.ingestion.services import items_store
from moderation.models import Author
from moderation.models import InboxItem
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _remote(n: int) -> RemoteComment:
    return RemoteComment(
        remote_id=f"status-{n:03d}",
        post_remote_id="p1",
        author_name=f"Bürgerin {n % 7}",
        author_id=f"citizen-{n % 7}",
        text=f"Kommentar {n}",
        created_at=datetime(2026, 5, 1, tzinfo=UTC),
    )


def test_overlapping_batches_stored_at_once_store_everything_once() -> None:
    channel = ChannelFactory()
    batches = [
        [_remote(n) for n in range(0, 60)],
        [_remote(n) for n in reversed(range(30, 90))],
        [_remote(n) for n in range(20, 70)],
    ]
    barrier = threading.Barrier(len(batches))
    created: list[int] = []
    errors: list[BaseException] = []

    def store(batch: list[RemoteComment]) -> None:
        try:
            barrier.wait()
            created.append(len(items_store(channel=channel, items=batch).created))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=store, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert InboxItem.objects.filter(channel=channel).count() == 90
    assert sum(created) == 90  # each item counted as new by exactly one run
    assert Author.objects.filter(channel=channel).count() == 7
