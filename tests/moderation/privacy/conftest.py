"""One citizen's complete trail on the press channel (items, revisions, flags, our reply, a
decision, evidence, a block with an objection), and a bystander's, for the privacy tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import Author
from moderation.models import BlockAppeal
from moderation.models import BlockEntry
from moderation.models import EvidenceRecord
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import InternalNote
from moderation.models import ItemRevision
from moderation.models import ModerationAction
from moderation.models import Reply
from tests.moderation.factories import AuthorFactory
from tests.moderation.factories import InboxItemFactory
from tests.moderation.factories import NetiquetteFactory

SECRET = "Ruf mich an: 0171 2345678, Erika Mustermann, Hauptstr. 5"


@dataclass
class Trail:
    author: Author
    items: list[InboxItem]
    evidence: EvidenceRecord
    block: BlockEntry
    appeal: BlockAppeal
    reply: Reply
    note: InternalNote
    bystander_item: InboxItem


def evidence_for(item: InboxItem, user, **extra) -> EvidenceRecord:  # type: ignore[no-untyped-def]
    author = item.author
    return EvidenceRecord.objects.create(
        item=item,
        channel=item.channel,
        author_remote_id=author.remote_id,
        content={
            "item": {"text": item.text},
            "author": {"handle": author.handle, "display_name": author.display_name},
        },
        sha256="0" * 64,
        created_by=user,
        retain_until=extra.pop("retain_until", timezone.localdate() + timedelta(days=730)),
        **extra,
    )


def build_trail(org, people, *, closed_days_ago: int | None = None) -> Trail:  # type: ignore[no-untyped-def]
    channel = org.press_channel
    author = AuthorFactory(
        channel=channel,
        remote_id="rid-9988776655",
        handle="erika_m",
        display_name="Erika Mustermann",
        profile_url="https://sandbox.example/@erika_m",
    )
    closed_at = timezone.now() - timedelta(days=closed_days_ago) if closed_days_ago else None
    status = InboxItem.Status.CLOSED if closed_at else InboxItem.Status.OPEN
    first = InboxItemFactory(
        channel=channel,
        author=author,
        text=SECRET,
        raw={"text": SECRET},
        status=status,
        closed_at=closed_at,
    )
    second = InboxItemFactory(
        channel=channel,
        author=author,
        parent=first,
        text="Erika hier nochmal",
        raw={"text": "Erika hier nochmal", "user": {"name": "Erika Mustermann"}},
        status=status,
        closed_at=closed_at,
    )
    ItemRevision.objects.create(
        item=first, change=ItemRevision.Change.EDITED, previous_text=SECRET, raw={"t": SECRET}
    )
    Flag.objects.create(
        item=first,
        kind=Flag.Kind.PERSONAL_DATA,
        code="phone",
        explanation="Telefonnummer 0171 2345678",
        evidence={"matches": ["0171 2345678"]},
    )
    reply = Reply.objects.create(
        item=first,
        author=people.community_manager,
        text="Bitte keine Telefonnummern posten.",
        status=Reply.Status.SENT,
        sent_at=timezone.now(),
    )
    note = InternalNote.objects.create(
        item=first, author=people.community_manager, text="Nummer verborgen."
    )
    rule = NetiquetteFactory(unit=org.press).rules.get(number=2)
    ModerationAction.objects.create(
        item=first,
        kind=ModerationAction.Kind.HIDE,
        rule=rule,
        justification="Persönliche Daten",
        actor=people.community_manager,
        status=ModerationAction.Status.DONE,
    )
    evidence = evidence_for(first, people.community_manager)
    block = BlockEntry.objects.create(
        channel=channel,
        author=author,
        item=first,
        rule=rule,
        justification="Wiederholt",
        status=BlockEntry.Status.LIFTED,
        blocked_by=people.community_manager,
        review_due_on=timezone.localdate(),
        lifted_at=timezone.now(),
        lifted_by=people.community_manager,
    )
    appeal = BlockAppeal.objects.create(
        block=block,
        received_at=timezone.now(),
        text="Ich, Erika Mustermann, widerspreche.",
        recorded_by=people.community_manager,
    )
    bystander_item = InboxItemFactory(channel=channel, text="Danke für die Info!")
    return Trail(author, [first, second], evidence, block, appeal, reply, note, bystander_item)


@pytest.fixture
def trail(org, people) -> Trail:  # type: ignore[no-untyped-def]
    return build_trail(org, people)
