# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Erasure of one citizen's data (request): every trace goes, except what the rules keep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.models import AuditEntry
from moderation.models import Author
from moderation.models import BlockAppeal
from moderation.models import BlockEntry
from moderation.models import DataSubjectRequest
from moderation.models import EvidenceRecord
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import InternalNote
from moderation.models import ItemRevision
from moderation.models import ModerationAction
from moderation.models import Reply
from moderation.privacy.services import data_subject_erase
from moderation.privacy.services import data_subject_request_create
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.privacy.conftest import evidence_for
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

# What identifies the person: platform id, handle, name, phone number, profile address.
TRACES = ("rid-9988776655", "erika_m", "Erika Mustermann", "Mustermann", "0171 2345678")


def _erase(org, people, trail) -> dict:  # type: ignore[no-untyped-def]
    subject_request = data_subject_request_create(
        actor=people.community_manager,
        unit=org.press,
        kind=DataSubjectRequest.Kind.ERASURE,
        authors=[trail.author],
        reference="DS-2026-17",
    )
    return data_subject_erase(actor=people.community_manager, subject_request=subject_request)


def _rows_with_traces() -> list[str]:
    """Every row of every moderation table (and the audit log) that still names the person."""
    found = []
    for model in [*apps.get_app_config("moderation").get_models(), AuditEntry]:
        for row in model.objects.values():
            text = repr(row)
            if any(trace in text for trace in TRACES):
                found.append(f"{model.__name__} {row.get('id')}")
    return found


def test_no_trace_of_the_person_is_left(org, people, trail) -> None:
    _erase(org, people, trail)
    assert _rows_with_traces() == []


def test_items_keep_what_statistics_need(org, people, trail) -> None:
    _erase(org, people, trail)
    item = InboxItem.objects.get(pk=trail.items[0].pk)
    assert (item.text, item.raw, item.url) == ("", {}, "")
    assert item.erased_at is not None
    assert item.channel_id == org.press_channel.pk
    assert item.created_at == trail.items[0].created_at
    assert item.status == trail.items[0].status


def test_revisions_lose_their_text(org, people, trail) -> None:
    _erase(org, people, trail)
    revision = ItemRevision.objects.get(item=trail.items[0])
    assert (revision.previous_text, revision.raw) == ("", {})
    assert revision.change == ItemRevision.Change.EDITED


def test_flags_keep_their_kind_not_their_evidence(org, people, trail) -> None:
    _erase(org, people, trail)
    flag = Flag.objects.get(item=trail.items[0])
    assert (flag.kind, flag.code) == (Flag.Kind.PERSONAL_DATA, "phone")
    assert flag.evidence == {}
    assert flag.explanation == ""


def test_author_is_pseudonymised(org, people, trail) -> None:
    _erase(org, people, trail)
    author = Author.objects.get(pk=trail.author.pk)
    assert author.remote_id.startswith("pseudonym-")
    assert (author.handle, author.display_name, author.profile_url) == ("", "", "")
    assert author.pseudonymised_at is not None


def test_evidence_block_and_objection_are_deleted(org, people, trail) -> None:
    summary = _erase(org, people, trail)
    assert not EvidenceRecord.objects.filter(pk=trail.evidence.pk).exists()
    assert not BlockEntry.objects.filter(pk=trail.block.pk).exists()
    assert not BlockAppeal.objects.filter(pk=trail.appeal.pk).exists()
    assert (summary["evidence"], summary["blocks"], summary["appeals"]) == (1, 1, 1)


def test_our_reply_decision_and_note_are_kept(org, people, trail) -> None:
    _erase(org, people, trail)
    assert Reply.objects.get(pk=trail.reply.pk).text == "Bitte keine Telefonnummern posten."
    assert ModerationAction.objects.filter(item=trail.items[0]).exists()
    assert InternalNote.objects.filter(pk=trail.note.pk).exists()


def test_other_peoples_items_are_untouched(org, people, trail) -> None:
    _erase(org, people, trail)
    bystander = InboxItem.objects.get(pk=trail.bystander_item.pk)
    assert bystander.text == "Danke für die Info!"
    assert bystander.erased_at is None


def test_evidence_on_legal_hold_is_kept_and_named(org, people, trail) -> None:
    held = evidence_for(
        trail.items[1],
        people.community_manager,
        criminal_relevant=True,
        prosecution_deadline=timezone.localdate() + timedelta(days=40),
    )
    summary = _erase(org, people, trail)
    assert EvidenceRecord.objects.filter(pk=held.pk).exists()
    assert summary["kept_evidence"] == [held.pk]


def test_criminal_evidence_past_its_deadline_is_erased(org, people, trail) -> None:
    old = evidence_for(
        trail.items[1],
        people.community_manager,
        criminal_relevant=True,
        prosecution_deadline=timezone.localdate() - timedelta(days=1),
    )
    _erase(org, people, trail)
    assert not EvidenceRecord.objects.filter(pk=old.pk).exists()


def test_active_block_is_kept_and_named(org, people, trail) -> None:
    BlockEntry.objects.filter(pk=trail.block.pk).update(
        status=BlockEntry.Status.ACTIVE, lifted_at=None
    )
    summary = _erase(org, people, trail)
    assert BlockEntry.objects.filter(pk=trail.block.pk).exists()
    assert summary["kept_blocks"] == [trail.block.pk]
    # The blocked account stays identifiable while the restriction is in force.
    assert Author.objects.get(pk=trail.author.pk).pseudonymised_at is None


def test_erasure_is_audited_without_personal_data(org, people, trail) -> None:
    _erase(org, people, trail)
    entry = AuditEntry.objects.get(action="moderation.privacy.erased")
    assert entry.data["counts"]["items"] == 2
    assert not any(trace in repr(entry.data) + entry.target_repr for trace in TRACES)


def test_request_records_its_completion(org, people, trail) -> None:
    _erase(org, people, trail)
    subject_request = DataSubjectRequest.objects.get()
    assert subject_request.completed_at is not None
    assert subject_request.summary["erasure"]["items"] == 2


def test_an_access_request_does_not_erase(org, people, trail) -> None:
    from accounts.errors import ConflictError

    subject_request = data_subject_request_create(
        actor=people.community_manager,
        unit=org.press,
        kind=DataSubjectRequest.Kind.ACCESS,
        authors=[trail.author],
    )
    with pytest.raises(ConflictError):
        data_subject_erase(actor=people.community_manager, subject_request=subject_request)
    assert InboxItem.objects.get(pk=trail.items[0].pk).erased_at is None


def test_erasing_twice_changes_nothing_more(org, people, trail) -> None:
    _erase(org, people, trail)
    second = data_subject_erase(
        actor=people.community_manager, subject_request=DataSubjectRequest.objects.get()
    )
    assert (second["items"], second["evidence"], second["authors"]) == (0, 0, 0)


def _named_reply(trail) -> Reply:  # type: ignore[no-untyped-def]
    return Reply.objects.create(
        item=trail.items[1],
        author=trail.reply.author,
        text="Guten Tag Erika Mustermann (@erika_m), danke für den Hinweis, Frau Mustermann.",
        status=Reply.Status.SENT,
    )


def test_the_persons_name_is_removed_from_our_replies(org, people, trail) -> None:
    reply = _named_reply(trail)
    _erase(org, people, trail)
    assert Reply.objects.get(pk=reply.pk).text == (
        "Guten Tag […] ([…]), danke für den Hinweis, Frau […]."
    )
