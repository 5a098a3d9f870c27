# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Securing evidence, its hash, criminal relevance and the deadline reminder."""

import hashlib
import json
from datetime import date
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.models import Notification
from moderation.evidence.content import canonical_json
from moderation.evidence.content import content_hash
from moderation.evidence.selectors import evidence_hash_matches
from moderation.evidence.services import EvidenceStateError
from moderation.evidence.services import evidence_complaint_filed
from moderation.evidence.services import evidence_mark_criminal
from moderation.evidence.services import evidence_record
from moderation.evidence.services import evidence_remind_prosecution_deadlines
from moderation.evidence.services import prosecution_deadline_for
from moderation.models import EvidenceRecord
from moderation.models import ModerationSettings
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.evidence.conftest import HOSTILE
from tests.moderation.factories import InboxItemFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_record_holds_text_author_times_and_raw(record: EvidenceRecord, item) -> None:
    content = record.content
    assert content["item"]["text"] == "Du bist ein Idiot."
    assert content["author"]["handle"] == item.author.handle
    assert content["item"]["created_at"]["europe_berlin"].endswith(("+01:00", "+02:00"))
    assert content["item"]["raw"] == item.raw


def test_hash_is_sha256_of_sorted_compact_utf8_json(record: EvidenceRecord) -> None:
    record.refresh_from_db()
    expected = hashlib.sha256(
        json.dumps(
            record.content, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
    ).hexdigest()
    assert record.sha256 == expected == content_hash(record.content)


def test_a_changed_record_no_longer_matches(record: EvidenceRecord) -> None:
    EvidenceRecord.objects.filter(pk=record.pk).update(content={**record.content, "x": 1})
    record.refresh_from_db()
    assert not evidence_hash_matches(record)


def test_thread_has_the_parent_chain_top_down(org: Org, people: People) -> None:
    top = InboxItemFactory(channel=org.press_channel, text="Oben")
    middle = InboxItemFactory(channel=org.press_channel, text="Mitte", parent=top)
    item = InboxItemFactory(channel=org.press_channel, text="Unten", parent=middle)
    record = evidence_record(actor=people.community_manager, item=item)
    assert [p["text"] for p in record.content["thread"]["parents"]] == ["Oben", "Mitte"]


def test_retention_follows_the_units_setting(item, people: People, org: Org) -> None:
    ModerationSettings.objects.create(unit=org.city, evidence_retention_days=10)
    record = evidence_record(actor=people.community_manager, item=item)
    assert record.retain_until - timezone.localdate() == timedelta(days=10)


def test_recording_is_audited_with_the_hash_only(record: EvidenceRecord) -> None:
    entry = AuditEntry.objects.get(action="moderation.evidence.recorded")
    assert entry.data["sha256"] == record.sha256
    assert "Idiot" not in json.dumps(entry.data)


def test_auditor_may_not_record(item, people: People) -> None:
    with pytest.raises(PermissionDenied):
        evidence_record(actor=people.auditor, item=item)


def test_hostile_content_is_kept_exactly(hostile_record: EvidenceRecord) -> None:
    hostile_record.refresh_from_db()
    assert hostile_record.content["item"]["text"] == HOSTILE
    assert evidence_hash_matches(hostile_record)
    assert len(canonical_json(hostile_record.content)) > 100_000


def test_deadline_is_three_calendar_months() -> None:
    assert prosecution_deadline_for(date(2026, 1, 15)) == date(2026, 4, 15)
    assert prosecution_deadline_for(date(2026, 11, 30)) == date(2027, 2, 28)
    assert prosecution_deadline_for(date(2026, 1, 31)) == date(2026, 4, 30)


def test_marking_goes_to_the_criminal_unit(record, people: People, org: Org) -> None:
    ModerationSettings.objects.create(unit=org.city, criminal_unit=org.social)
    marked = evidence_mark_criminal(
        actor=people.community_manager, record=record, known_since=date(2026, 1, 10)
    )
    assert marked.criminal_unit == org.social
    assert marked.prosecution_deadline == date(2026, 4, 10)
    assert marked.item.criminal_relevant_at is not None
    assert AuditEntry.objects.filter(action="moderation.evidence.criminal_marked").exists()


def test_marking_without_setting_goes_to_the_items_unit(record, people: People, org) -> None:
    marked = evidence_mark_criminal(actor=people.community_manager, record=record)
    assert marked.criminal_unit == org.press
    assert marked.retain_until >= marked.prosecution_deadline


def test_marking_twice_is_refused(record, people: People) -> None:
    evidence_mark_criminal(actor=people.community_manager, record=record)
    with pytest.raises(EvidenceStateError):
        evidence_mark_criminal(actor=people.community_manager, record=record)


def test_complaint_needs_the_marking(record, people: People) -> None:
    with pytest.raises(EvidenceStateError):
        evidence_complaint_filed(actor=people.community_manager, record=record)


def test_complaint_filed_is_audited(record, people: People) -> None:
    evidence_mark_criminal(actor=people.community_manager, record=record)
    evidence_complaint_filed(actor=people.community_manager, record=record, reference="AZ 1")
    entry = AuditEntry.objects.get(action="moderation.evidence.complaint_filed")
    assert entry.data["reference"] == "AZ 1"


def test_reminder_goes_out_once_14_days_before(record, people: People, org: Org) -> None:
    evidence_mark_criminal(
        actor=people.community_manager, record=record, known_since=date(2026, 1, 10)
    )
    assert evidence_remind_prosecution_deadlines(date(2026, 3, 26)) == 0
    assert evidence_remind_prosecution_deadlines(date(2026, 3, 27)) == 1
    assert evidence_remind_prosecution_deadlines(date(2026, 3, 28)) == 0
    notes = Notification.objects.filter(kind="moderation.prosecution_deadline")
    assert [n.recipient for n in notes] == [people.community_manager]


def test_no_reminder_after_the_complaint(record, people: People) -> None:
    evidence_mark_criminal(
        actor=people.community_manager, record=record, known_since=date(2026, 1, 10)
    )
    evidence_complaint_filed(actor=people.community_manager, record=record)
    assert evidence_remind_prosecution_deadlines(date(2026, 4, 1)) == 0


def test_the_task_runs_the_reminder(record, people: People) -> None:
    from moderation.evidence.tasks import remind_prosecution_deadlines

    evidence_mark_criminal(
        actor=people.community_manager,
        record=record,
        known_since=timezone.localdate() - timedelta(days=80),
    )
    assert remind_prosecution_deadlines.apply().get() == 1


def test_the_reminder_renders(record, people: People) -> None:
    from accounts.notifications import notification_render

    evidence_mark_criminal(
        actor=people.community_manager, record=record, known_since=date(2026, 1, 10)
    )
    evidence_remind_prosecution_deadlines(date(2026, 3, 27))
    rendered = notification_render(Notification.objects.get(kind="moderation.prosecution_deadline"))
    assert "2026-04-10" in rendered.text and str(record.pk) in rendered.subject


def test_our_post_is_found_by_its_remote_id(org: Org, people: People) -> None:
    from tests.editorial.factories import due_post

    post = due_post(org, people, [org.press_channel])
    variant = post.variants.get()
    variant.remote_id, variant.remote_url = "p-77", "https://sandbox.example/p-77"
    variant.save()
    item = InboxItemFactory(channel=org.press_channel, post_remote_id="p-77")
    content = evidence_record(actor=people.community_manager, item=item).content
    assert content["thread"]["post"] == {
        "remote_id": "p-77",
        "text": post.text,
        "url": "https://sandbox.example/p-77",
    }
