"""Everything the moderation routes act on, for one authority: an open item with a flag, a
note, replies in three states, a decision and an evidence record; a published Netiquette and
a draft; blocks (one with an objection); keyword alert, lexicon entry, storm alert,
data-subject request, ingestion stream. Used by the permission matrix and the malformed-input
walk, so both reach every handler with objects that exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.models import OrgUnit
from accounts.models import User
from channels_app.models import Channel
from moderation.evidence.services import evidence_record
from moderation.models import Author
from moderation.models import BlockAppeal
from moderation.models import BlockEntry
from moderation.models import DataSubjectRequest
from moderation.models import EvidenceRecord
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import IngestCursor
from moderation.models import InternalNote
from moderation.models import KeywordAlert
from moderation.models import LexiconEntry
from moderation.models import ModerationAction
from moderation.models import Netiquette
from moderation.models import NetiquetteRule
from moderation.models import Reply
from moderation.models import SavedReply
from moderation.models import StormAlert
from tests.moderation.factories import AuthorFactory
from tests.moderation.factories import InboxItemFactory
from tests.moderation.factories import NetiquetteFactory


@dataclass
class Side:
    """What one authority holds; each route takes the objects it needs."""

    unit: OrgUnit
    free_unit: OrgUnit  # without a Netiquette draft: a new draft may be started there
    channel: Channel
    writer: User  # a second community manager: wrote, blocked and recorded what others decide
    item: InboxItem  # open, with a flag, a note, a decision and an evidence record
    author: Author  # of ``item``
    note: InternalNote
    flag: Flag
    reply_awaiting: Reply  # waiting for the four-eyes approval (written by ``writer``)
    reply_failed: Reply
    reply_unclear: Reply  # NEEDS_CHECK
    saved_reply: SavedReply  # shared, of the unit
    netiquette: Netiquette  # published version 1
    rule: NetiquetteRule
    draft: Netiquette  # version 2, not published
    record: EvidenceRecord  # of ``item``, not criminally relevant
    criminal_record: EvidenceRecord  # of the blocked item, criminally relevant
    action: ModerationAction  # a hide that failed at the platform
    block: BlockEntry  # active, its platform call failed, no objection
    appealed_block: BlockEntry  # active, with an open objection recorded by ``writer``
    appeal: BlockAppeal
    alert: KeywordAlert
    entry: LexiconEntry
    storm: StormAlert
    subject_request: DataSubjectRequest  # an erasure request for ``author``
    cursor: IngestCursor
    markers: tuple[str, ...] = ()  # texts that must not appear to the other authority


def _item(channel: Channel, prefix: str, name: str, text: str) -> InboxItem:
    author = AuthorFactory(
        channel=channel, handle=f"{prefix.lower()}_{name}", display_name=f"{prefix}-{name}"
    )
    return InboxItemFactory(
        channel=channel,
        author=author,
        text=f"{prefix}-{text}",
        status=InboxItem.Status.OPEN,
        remote_id=f"{prefix}-{name}",
    )


def _block(item: InboxItem, rule: NetiquetteRule, writer: User, justification: str) -> BlockEntry:
    return BlockEntry.objects.create(
        channel=item.channel,
        author=item.author,
        item=item,
        rule=rule,
        justification=justification,
        blocked_by=writer,
        review_due_on=timezone.localdate() + timedelta(days=90),
        evidence=evidence_record(actor=writer, item=item),
        platform_status=BlockEntry.PlatformStatus.FAILED,
        platform_error="Zeitüberschreitung",
    )


def build_side(
    unit: OrgUnit, free_unit: OrgUnit, channel: Channel, writer: User, prefix: str
) -> Side:
    now = timezone.now()
    Channel.objects.filter(pk=channel.pk).update(status=Channel.Status.ACTIVE)
    channel.refresh_from_db()
    netiquette = NetiquetteFactory(unit=unit, title=f"{prefix}-Netiquette")
    rule = netiquette.rules.get(number=1)
    draft = Netiquette.objects.create(unit=unit, version=2, title=f"{prefix}-Entwurf")
    NetiquetteRule.objects.create(
        netiquette=draft, number=1, title=f"{prefix}-Entwurfsregel", text="Respekt."
    )

    item = _item(channel, prefix, "fragerin", "Kommentar: Wann öffnet das Bürgerbüro?")
    blocked_item = _item(channel, prefix, "pöbler", "Beleidigung: Ihr Versager!")
    appealed_item = _item(channel, prefix, "widersprecher", "Drohung: Ihr werdet sehen.")
    note = InternalNote.objects.create(item=item, author=writer, text=f"{prefix}-Notiz")
    flag = Flag.objects.create(
        item=item,
        kind=Flag.Kind.INSULT,
        code="lexicon",
        explanation=f"{prefix}-Fundstelle: „Versager“ (Beleidigungslexikon).",
    )
    saved_reply = SavedReply.objects.create(
        unit=unit, title=f"{prefix}-Textbaustein", text="Danke für Ihre Nachricht, {name}."
    )
    replies = {
        status: Reply.objects.create(
            item=item, author=writer, text=f"{prefix}-Antwort ({status})", status=status
        )
        for status in (
            Reply.Status.AWAITING_APPROVAL,
            Reply.Status.FAILED,
            Reply.Status.NEEDS_CHECK,
        )
    }
    record = evidence_record(actor=writer, item=item)
    action = ModerationAction.objects.create(
        item=item,
        kind=ModerationAction.Kind.HIDE,
        rule=rule,
        justification=f"{prefix}-Begründung",
        evidence=record,
        actor=writer,
        status=ModerationAction.Status.FAILED,
        last_error="Zeitüberschreitung",
    )
    block = _block(blocked_item, rule, writer, f"{prefix}-Sperrgrund")
    criminal_record = block.evidence
    assert criminal_record is not None
    EvidenceRecord.objects.filter(pk=criminal_record.pk).update(
        criminal_relevant=True,
        criminal_unit=unit,
        prosecution_deadline=timezone.localdate() + timedelta(days=80),
    )
    criminal_record.refresh_from_db()
    appealed_block = _block(appealed_item, rule, writer, f"{prefix}-Sperrgrund-2")
    appeal = BlockAppeal.objects.create(
        block=appealed_block, received_at=now, text=f"{prefix}-Widerspruch", recorded_by=writer
    )
    alert = KeywordAlert.objects.create(
        unit=unit,
        phrase=f"{prefix}-Alarmwort",
        category=KeywordAlert.Category.THREAT,
        created_by=writer,
    )
    entry = LexiconEntry.objects.create(
        unit=unit, term=f"{prefix.lower()}schimpfwort", created_by=writer
    )
    storm = StormAlert.objects.create(
        channel=channel, window_start=now - timedelta(hours=1), item_count=77
    )
    subject_request = DataSubjectRequest.objects.create(
        unit=unit,
        kind=DataSubjectRequest.Kind.ERASURE,
        reference=f"{prefix}-Az-17",
        requested_by=writer,
    )
    subject_request.authors.set([item.author])
    cursor = IngestCursor.objects.create(
        channel=channel, stream=IngestCursor.Stream.COMMENTS, last_error=f"{prefix}-Fehler"
    )
    markers = (
        item.text,
        blocked_item.text,
        item.author.handle,
        item.author.display_name,
        blocked_item.author.display_name,
        note.text,
        flag.explanation,
        saved_reply.title,
        *(reply.text for reply in replies.values()),
        draft.title,
        action.justification,
        block.justification,
        appeal.text,
        alert.phrase,
        entry.term,
        subject_request.reference,
        cursor.last_error,
        channel.name,
    )
    return Side(
        unit=unit,
        free_unit=free_unit,
        channel=channel,
        writer=writer,
        item=item,
        author=item.author,
        note=note,
        flag=flag,
        reply_awaiting=replies[Reply.Status.AWAITING_APPROVAL],
        reply_failed=replies[Reply.Status.FAILED],
        reply_unclear=replies[Reply.Status.NEEDS_CHECK],
        saved_reply=saved_reply,
        netiquette=netiquette,
        rule=rule,
        draft=draft,
        record=record,
        criminal_record=criminal_record,
        action=action,
        block=block,
        appealed_block=appealed_block,
        appeal=appeal,
        alert=alert,
        entry=entry,
        storm=storm,
        subject_request=subject_request,
        cursor=cursor,
        markers=markers,
    )
