# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Access requests: the JSON export holds everything stored about the person."""

from __future__ import annotations

from accounts.models import AuditEntry
from moderation.models import DataSubjectRequest
from moderation.privacy.services import data_subject_export_record
from moderation.privacy.services import data_subject_request_create
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _export(org, people, trail) -> dict:  # type: ignore[no-untyped-def]
    subject_request = data_subject_request_create(
        actor=people.community_manager,
        unit=org.press,
        kind=DataSubjectRequest.Kind.ACCESS,
        authors=[trail.author],
    )
    return data_subject_export_record(
        actor=people.community_manager, subject_request=subject_request
    )


def test_export_holds_the_account(org, people, trail) -> None:
    author = _export(org, people, trail)["authors"][0]
    assert (author["handle"], author["display_name"], author["platform_id"]) == (
        "erika_m",
        "Erika Mustermann",
        "rid-9988776655",
    )


def test_export_holds_every_item_with_revisions_replies_actions_flags(org, people, trail) -> None:
    export = _export(org, people, trail)
    assert len(export["items"]) == 2
    first = export["items"][0]
    assert first["text"].startswith("Ruf mich an")
    assert first["revisions"][0]["previous_text"].startswith("Ruf mich an")
    assert first["replies"][0]["text"] == "Bitte keine Telefonnummern posten."
    assert first["actions"][0]["kind"] == "hide"
    assert first["flags"][0]["evidence"] == {"matches": ["0171 2345678"]}


def test_export_holds_evidence_blocks_and_objections(org, people, trail) -> None:
    export = _export(org, people, trail)
    assert export["evidence"][0]["content"]["author"]["handle"] == "erika_m"
    assert export["blocks"][0]["justification"] == "Wiederholt"
    assert export["blocks"][0]["appeals"][0]["text"].startswith("Ich, Erika")


def test_export_leaves_other_people_out(org, people, trail) -> None:
    export = _export(org, people, trail)
    assert "Danke für die Info!" not in repr(export)


def test_export_summary_counts(org, people, trail) -> None:
    summary = _export(org, people, trail)["summary"]
    assert summary == {
        "authors": 1,
        "items": 2,
        "revisions": 1,
        "replies": 1,
        "actions": 1,
        "notes": 1,
        "flags": 1,
        "evidence": 1,
        "evidence_on_legal_hold": 0,
        "blocks": 1,
        "appeals": 1,
    }


def test_export_is_audited_without_personal_data(org, people, trail) -> None:
    _export(org, people, trail)
    entry = AuditEntry.objects.get(action="moderation.privacy.access_exported")
    assert entry.data["counts"]["items"] == 2
    assert "erika" not in repr(entry.data).lower()


def test_export_takes_a_fixed_number_of_queries(
    org, people, trail, django_assert_max_num_queries
) -> None:
    subject_request = data_subject_request_create(
        actor=people.community_manager,
        unit=org.press,
        kind=DataSubjectRequest.Kind.ACCESS,
        authors=[trail.author],
    )
    with django_assert_max_num_queries(25):
        data_subject_export_record(actor=people.community_manager, subject_request=subject_request)


def test_export_holds_internal_notes_about_the_items(org, people, trail) -> None:
    first = _export(org, people, trail)["items"][0]
    assert [note["text"] for note in first["notes"]] == ["Nummer verborgen."]


def test_export_names_no_staff_member_of_a_note(org, people, trail) -> None:
    note = _export(org, people, trail)["items"][0]["notes"][0]
    assert set(note) == {"text", "created_at"}


def test_export_of_a_pseudonymised_account_holds_its_evidence(org, people) -> None:
    from moderation.models import BlockEntry
    from moderation.privacy.services import retention_apply
    from tests.moderation.privacy.conftest import build_trail

    trail = build_trail(org, people, closed_days_ago=100)
    BlockEntry.objects.filter(pk=trail.block.pk).delete()
    retention_apply()
    evidence = _export(org, people, trail)["evidence"]
    assert evidence[0]["content"]["author"]["handle"] == "erika_m"
