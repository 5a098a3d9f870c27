# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Exports are deleted (row and file) after RECORDS_EXPORT_RETENTION_DAYS by a daily beat
task, each deletion audited; younger exports stay."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from accounts.models import AuditEntry
from analytics.models import RecordsExport
from analytics.records.tasks import delete_expired_records_exports
from tests.analytics.records.conftest import earlier
from tests.analytics.records.conftest import queued_export
from tests.analytics.records.test_pages import ready_export
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_beat_looks_for_expired_exports_daily() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["analytics-records-retention"]
    assert entry["task"] == delete_expired_records_exports.name
    assert settings.CELERY_TASK_ROUTES[entry["task"]] == {"queue": "analytics"}


def test_an_expired_export_is_deleted_with_its_file_and_audited(
    org: Org, people: People, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.RECORDS_EXPORT_RETENTION_DAYS = 10
    old = ready_export(org.press, people.approver)
    RecordsExport.objects.filter(pk=old.pk).update(created_at=earlier(11))
    young = queued_export(org.press, people.approver)
    RecordsExport.objects.filter(pk=young.pk).update(created_at=earlier(9))
    storage, name = old.file.storage, old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_expired_records_exports() == 1
    assert list(RecordsExport.objects.values_list("pk", flat=True)) == [young.pk]
    assert not storage.exists(name)
    entry = AuditEntry.objects.get(action="analytics.records.deleted")
    assert entry.target_id == str(old.pk)
    assert entry.data["sha256"] == old.sha256 and entry.data["retention_days"] == 10


def test_nothing_expired_nothing_deleted(org: Org, people: People) -> None:
    queued_export(org.press, people.approver)
    assert delete_expired_records_exports() == 0
    assert not AuditEntry.objects.filter(action="analytics.records.deleted").exists()
