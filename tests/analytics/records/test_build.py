# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The ZIP a build produces (``records_export_build`` run in the test process; the worker
test runs it in a real Celery worker): the manifest verifies, the JSON follows the
documented schema, each post's PDF opens and holds its text, media are the originals, and
nothing outside the scope is in it."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from accounts.audit_checkpoints.services import audit_checkpoint_write
from accounts.models import AuditEntry
from analytics.models import RecordsExport
from analytics.records.services import records_export_build
from editorial.models import Post
from editorial.models import PostMedia
from editorial.models import PostVariant
from tests.analytics.records.conftest import POST_TEXT
from tests.analytics.records.conftest import Record
from tests.analytics.records.conftest import open_zip
from tests.analytics.records.conftest import publish
from tests.analytics.records.conftest import queued_export
from tests.analytics.records.conftest import records_of
from tests.analytics.records.conftest import zip_bytes
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import MediaAssetFactory
from tests.editorial.factories import PostFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

SCHEMA = json.loads((Path(settings.BASE_DIR) / "docs" / "records-export.schema.json").read_text())


def built(export: RecordsExport) -> RecordsExport:
    assert records_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == RecordsExport.State.READY, export.error
    return export


@pytest.fixture
def archive(record: Record, org: Org, people: People) -> Any:
    audit_checkpoint_write()
    export = built(queued_export(org.press, people.auditor))
    return open_zip(export)


def test_the_manifest_lists_every_file_with_its_checksum(archive: Any) -> None:
    manifest = json.loads(archive.read("manifest.json"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(archive.namelist()) - {"manifest.json"}
    for name, entry in listed.items():
        data = archive.read(name)
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        assert len(data) == entry["size"], name
    assert manifest["schema_version"] == "1.1"
    assert manifest["created_by"]["email"].startswith("auditor")
    assert manifest["scope"]["period"] == {"start": "2026-03-01", "end": "2026-03-31"}


def test_the_records_follow_the_documented_schema(archive: Any) -> None:
    jsonschema.validate(records_of(archive), SCHEMA, format_checker=jsonschema.FormatChecker())


def test_the_schema_refuses_what_it_does_not_document(archive: Any) -> None:
    records = records_of(archive)
    records["posts"][0]["variants"][0]["metrics"]["likes"] = "seven"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(records, SCHEMA)


def test_the_post_pdf_opens_and_holds_the_post_text(archive: Any, record: Record) -> None:
    reader = PdfReader(io.BytesIO(archive.read(f"posts/{record.post.pk}.pdf")))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Rheinbrücke" in text and "gesperrt" in text
    assert "Absperrgitter vor der Rheinbrücke" in text  # the image's alt text
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_media_are_the_original_bytes(archive: Any, record: Record) -> None:
    records = records_of(archive)
    (media,) = records["media"]
    assert archive.read(media["file"]) == record.image
    assert media["alt_text"] == "Absperrgitter vor der Rheinbrücke"
    assert media["file"] == f"media/{record.asset.pk}/Br_cke_gesperrt.png"


def test_approvals_say_who_approved_what(archive: Any, record: Record, people: People) -> None:
    (post,) = records_of(archive)["posts"]
    (approval,) = post["approvals"]
    assert approval["approver"]["email"] == people.approver.email
    assert approval["content_hash"] == record.post.approved_hash
    assert approval["covers_approved_content"] is True
    variant = post["variants"][0]
    assert variant["text"] == POST_TEXT
    assert variant["remote_url"] == "https://sandbox.example/p/p-1"
    assert variant["sandbox"] is True  # the sandbox channel is in, and marked


def test_metrics_are_the_latest_reading_with_gaps_kept(archive: Any) -> None:
    metrics = records_of(archive)["posts"][0]["variants"][0]["metrics"]
    assert (metrics["age_hours"], metrics["likes"], metrics["shares"]) == (24, 7, 2)
    assert metrics["impressions"] is None  # not provided, not 0


def test_moderation_decisions_cite_rule_and_evidence(archive: Any, record: Record) -> None:
    (decision,) = records_of(archive)["posts"][0]["moderation"]
    assert decision["kind"] == "hide"
    assert decision["rule"]["number"] == 1
    assert decision["evidence"] == {
        "id": record.evidence.pk,
        "sha256": record.evidence.sha256,
        "created_at": decision["evidence"]["created_at"],
    }
    assert "Idioten" not in json.dumps(decision)  # the reply's text stays in the evidence


def test_audit_entries_and_checkpoints_are_included(archive: Any, record: Record) -> None:
    records = records_of(archive)
    actions = {entry["action"] for entry in records["audit_entries"]}
    assert {"editorial.post.created", "moderation.actions.decided"} <= actions
    sequences = [entry["sequence"] for entry in records["audit_entries"]]
    assert sequences == sorted(sequences)
    (checkpoint, *_older) = records["audit_checkpoints"]
    assert checkpoint["text"] in archive.read("audit/checkpoints.txt").decode()


def test_the_index_links_every_pdf_and_medium_and_loads_nothing(
    archive: Any, record: Record
) -> None:
    index = archive.read("index.html").decode()
    assert f'href="posts/{record.post.pk}.pdf"' in index
    assert f'href="media/{record.asset.pk}/Br_cke_gesperrt.png"' in index
    assert "<script" not in index and "src=" not in index and "<link" not in index
    assert '<html lang="de">' in index


def test_another_authoritys_posts_are_not_in_it(archive: Any, record: Record) -> None:
    posts = records_of(archive)["posts"]
    assert [post["id"] for post in posts] == [record.post.pk]
    assert not [n for n in archive.namelist() if n == f"posts/{record.police_post.pk}.pdf"]


def test_a_channel_export_holds_only_that_channel(record: Record, org: Org, people: People) -> None:
    export = built(queued_export(org.press, people.approver, channel=org.social_channel))
    assert records_of(open_zip(export))["posts"] == []
    assert (export.posts_done, export.posts_total) == (0, 0)


def test_a_post_outside_the_period_is_not_in_it(record: Record, org: Org, people: People) -> None:
    export = queued_export(org.press, people.approver)
    RecordsExport.objects.filter(pk=export.pk).update(period_end="2026-03-01")
    assert records_of(open_zip(built(export)))["posts"] == []


def test_the_build_records_progress_hash_and_audit(
    record: Record, org: Org, people: People
) -> None:
    export = built(queued_export(org.press, people.approver))
    assert (export.posts_done, export.posts_total) == (1, 1)
    data = zip_bytes(export)
    assert hashlib.sha256(data).hexdigest() == export.sha256
    assert export.size == len(data)
    entry = AuditEntry.objects.get(action="analytics.records.ready")
    assert entry.data["sha256"] == export.sha256 and entry.data["posts"] == 1


def test_a_second_delivery_builds_nothing(record: Record, org: Org, people: People) -> None:
    export = built(queued_export(org.press, people.approver))
    assert not records_export_build(export_id=export.pk)
    assert AuditEntry.objects.filter(action="analytics.records.ready").count() == 1


def test_a_failing_build_is_marked_failed_and_audited(
    record: Record, org: Org, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> int:
        raise OSError("disk full")

    monkeypatch.setattr("analytics.records.services.write_archive", broken)
    export = queued_export(org.press, people.approver)
    assert not records_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == RecordsExport.State.FAILED
    assert "disk full" in export.error
    assert AuditEntry.objects.filter(action="analytics.records.failed").exists()


def test_queries_grow_only_by_the_progress_count_per_post(
    record: Record, org: Org, people: People
) -> None:
    """Everything a post's record needs is read per batch; per post only its progress is
    written (one UPDATE), so a large export does not ask the database per object."""

    def queries_of_a_build() -> int:
        export = queued_export(org.press, people.approver)
        with CaptureQueriesContext(connection) as queries:
            built(export)
        return len(queries)

    queries_of_a_build()  # content types and the like are cached once
    few = queries_of_a_build()
    for number in range(4):
        post = PostFactory(unit=org.press, title=f"Meldung {number}", channels=[org.press_channel])
        PostMedia.objects.create(post=post, asset=MediaAssetFactory(unit=org.press))
        publish(PostVariant.objects.get(post=post), f"p-extra-{number}")
    assert queries_of_a_build() == few + 4


def test_a_period_to_the_end_of_the_calendar_is_read(
    record: Record, org: Org, people: People
) -> None:
    export = queued_export(org.press, people.approver)
    RecordsExport.objects.filter(pk=export.pk).update(period_end="9999-12-31")
    assert len(records_of(open_zip(built(export)))["posts"]) == 1


def test_a_content_warning_is_in_the_records_and_the_post_pdf(
    record: Record, org: Org, people: People
) -> None:
    Post.objects.filter(pk=record.post.pk).update(content_warning="Hochwasser")
    archive = open_zip(built(queued_export(org.press, people.auditor)))
    records = records_of(archive)
    jsonschema.validate(records, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert records["posts"][0]["content_warning"] == "Hochwasser"
    reader = PdfReader(io.BytesIO(archive.read(f"posts/{record.post.pk}.pdf")))
    assert "Hochwasser" in " ".join(page.extract_text() for page in reader.pages)


def test_media_are_read_through_the_storage_not_a_local_path(
    record: Record, org: Org, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An S3-like storage has no local path: the build reads media with storage.open()."""
    from django.db.models.fields.files import FieldFile

    def no_path(self: FieldFile) -> str:
        raise NotImplementedError("This backend doesn't support absolute paths.")

    monkeypatch.setattr(FieldFile, "path", property(no_path))
    archive = open_zip(built(queued_export(org.press, people.auditor)))

    assert archive.read(records_of(archive)["media"][0]["file"]) == record.image
    reader = PdfReader(io.BytesIO(archive.read(f"posts/{record.post.pk}.pdf")))
    images = [image for page in reader.pages for image in page.images]
    assert images  # the image drawn in the post's PDF, read from the storage
