# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Writing a reply: checked against the platform's limits, allowed to community managers
of the channel, audited, queued for sending once the transaction is committed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from accounts.models import AuditEntry
from moderation.models import InboxItem
from moderation.models import Reply
from moderation.replies.services import reply_create
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

R = Reply.Status


def test_a_reply_is_queued(item: InboxItem, people: People) -> None:
    reply = reply_create(actor=people.community_manager, item=item, text="Ja, auch dann.")
    assert reply.status == R.QUEUED and reply.queued_at is not None
    assert reply.idempotency_key is not None


def test_the_send_task_is_queued_on_commit(
    item: InboxItem, people: People, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from moderation.replies import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.send_reply, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_create(actor=people.community_manager, item=item, text="Ja.")
    assert queued == [reply.pk]


def test_writing_is_audited(item: InboxItem, people: People) -> None:
    reply = reply_create(actor=people.community_manager, item=item, text="Ja, auch dann.")
    entry = AuditEntry.objects.get(action="moderation.replies.created")
    assert entry.actor == people.community_manager and entry.target_id == str(reply.pk)
    assert entry.data["after"]["text_length"] == len("Ja, auch dann.")


def test_the_audit_entry_holds_a_hash_of_the_text_not_the_text(
    item: InboxItem, people: People
) -> None:
    import hashlib

    text = "Guten Tag Erika Mustermann, ja, auch dann."
    reply_create(actor=people.community_manager, item=item, text=text)
    entry = AuditEntry.objects.get(action="moderation.replies.created")
    assert "Mustermann" not in repr(entry.data)
    assert entry.data["after"]["text_sha256"] == hashlib.sha256(text.encode()).hexdigest()


def test_an_empty_reply_is_refused(item: InboxItem, people: People) -> None:
    with pytest.raises(ValidationError) as caught:
        reply_create(actor=people.community_manager, item=item, text="   ")
    assert "Write a reply first." in caught.value.message_dict["text"]


def test_a_reply_longer_than_the_platform_allows_is_refused(
    item: InboxItem, people: People
) -> None:
    with pytest.raises(ValidationError) as caught:
        reply_create(actor=people.community_manager, item=item, text="a" * 1001)
    assert "at most 1000" in caught.value.message_dict["text"][0]
    assert not Reply.objects.exists()


def test_emoji_count_as_the_platform_counts(item: InboxItem, people: People) -> None:
    # 1000 user-perceived characters (each a family emoji of several code points): allowed.
    reply = reply_create(actor=people.community_manager, item=item, text="👨‍👩‍👧" * 1000)
    assert reply.status == R.QUEUED


def test_a_platform_without_replies_is_refused_clearly(org: Org, people: People) -> None:
    from tests.factories import ChannelFactory

    telegram = ChannelFactory(unit=org.press, platform="telegram")
    item = InboxItemFactory(channel=telegram)
    with pytest.raises(ValidationError) as caught:
        reply_create(actor=people.community_manager, item=item, text="Danke!")
    assert "does not allow it" in caught.value.message_dict["text"][0]


def test_an_auditor_cannot_write(item: InboxItem, people: People) -> None:
    with pytest.raises(PermissionDenied):
        reply_create(actor=people.auditor, item=item, text="Ja.")


def test_an_editor_cannot_write(item: InboxItem, people: People) -> None:
    with pytest.raises(PermissionDenied):
        reply_create(actor=people.editor, item=item, text="Ja.")


def test_another_authority_cannot_write(item: InboxItem, people: People) -> None:
    with pytest.raises(PermissionDenied):
        reply_create(actor=people.outsider, item=item, text="Ja.")
