# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""PDF and JSON exports, and what they do with hostile content."""

import json

from accounts.models import AuditEntry
from moderation.evidence.pdf import evidence_pdf
from moderation.evidence.pdf import printable
from moderation.models import EvidenceRecord
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.evidence.conftest import HOSTILE
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_printable_replaces_emoji_and_bidi_overrides_visibly() -> None:
    assert printable("a\U0001f916b\u202ec中") == "a[U+1F916]b[U+202E]c[U+4E2D]"
    assert printable("Grüße §") == "Grüße §"


def test_pdf_of_hostile_content_builds(hostile_record: EvidenceRecord) -> None:
    pdf = evidence_pdf(hostile_record, hash_matches=True)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 10_000


def test_json_package_keeps_the_exact_text(client_for, people: People, hostile_record) -> None:
    client = client_for(people.community_manager)
    response = client.get(f"/moderation/evidence/{hostile_record.pk}/export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    package = json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert package["content"]["item"]["text"] == HOSTILE
    assert package["hash"]["value"] == hostile_record.sha256
    assert package["hash"]["matches_at_export"] is True


def test_pdf_download_is_audited(client_for, people: People, record) -> None:
    response = client_for(people.community_manager).get(
        f"/moderation/evidence/{record.pk}/export.pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.get(action="moderation.evidence.exported").data["format"] == "pdf"


def test_auditor_may_not_export(client_for, people: People, record) -> None:
    response = client_for(people.auditor).get(f"/moderation/evidence/{record.pk}/export.pdf")
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="moderation.evidence.exported").exists()
