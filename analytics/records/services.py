"""Writes of the records export: request one (audited, built by a task after commit),
build it (claimed once, progress while building, ready or failed, audited), record each
download, and delete exports past the retention period (audited)."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from datetime import date
from datetime import datetime
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.audited import audit_about
from accounts.audited import save_audited
from accounts.models import OrgUnit
from accounts.models import User
from analytics.models import RecordsExport
from analytics.records.archive import ProgressCallback
from analytics.records.archive import write_archive
from analytics.records.permissions import user_may_export_records_of
from channels_app.models import Channel

logger = logging.getLogger(__name__)


def _scope_data(export: RecordsExport) -> dict[str, object]:
    return {
        "unit": export.unit_id,
        "channel": export.channel_id,
        "period_start": export.period_start.isoformat(),
        "period_end": export.period_end.isoformat(),
    }


def _clean(unit: OrgUnit, channel: Channel | None, start: date, end: date) -> None:
    errors: dict[str, str] = {}
    if end < start:
        errors["period_end"] = _("The period ends before it begins.")
    if start > timezone.localdate():
        errors["period_start"] = _("Nothing has been published in this period yet.")
    if channel is not None and not channel.unit.path.startswith(unit.path):
        errors["channel"] = _("Choose a channel of this unit or of a unit below it.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def records_export_request(
    *,
    actor: User,
    unit: OrgUnit,
    period_start: date,
    period_end: date,
    channel: Channel | None = None,
    request: HttpRequest | None = None,
) -> RecordsExport:
    """Queue an export of ``unit``'s channels (and those of the units below), or of one of
    them (``channel``). It is built by a worker; the task is queued once the request is
    committed, so the worker finds the row."""
    from analytics.records.tasks import build_records_export  # tasks import this module

    if not user_may_export_records_of(actor, unit.pk):
        raise PermissionDenied(
            _("Only approvers, system admins and auditors of the unit export its records.")
        )
    _clean(unit, channel, period_start, period_end)
    export = RecordsExport(
        unit=channel.unit if channel is not None else unit,
        channel=channel,
        period_start=period_start,
        period_end=period_end,
        requested_by=actor,
    )
    save_audited(
        export,
        action="analytics.records.requested",
        actor=actor,
        request=request,
        unit=export.unit,
        data=_scope_data(export),
    )
    export_id = export.pk
    transaction.on_commit(lambda: build_records_export.delay(export_id))
    return export


def _claim(export_id: int) -> bool:
    """QUEUED → BUILDING, or a build whose worker died (its lease ran out) taken over; a
    second delivery of the task finds nothing to claim."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.RECORDS_EXPORT_LEASE_SECONDS)
    claimable = Q(state=RecordsExport.State.QUEUED) | Q(
        state=RecordsExport.State.BUILDING, started_at__lt=stale
    )
    return (
        RecordsExport.objects.filter(claimable, pk=export_id).update(
            state=RecordsExport.State.BUILDING, started_at=now, posts_done=0, posts_total=None
        )
        == 1
    )


def _progress(export_id: int) -> ProgressCallback:
    def report(done: int, total: int) -> None:
        # Outside any transaction: the pages and the API see the count while it grows.
        RecordsExport.objects.filter(pk=export_id).update(posts_done=done, posts_total=total)

    return report


def records_export_build(*, export_id: int) -> bool:
    """Build the ZIP of a queued export. Returns whether this call built it."""
    if not _claim(export_id):
        return False
    export = RecordsExport.objects.select_related("unit", "channel", "requested_by").get(
        pk=export_id
    )
    with tempfile.TemporaryFile() as spool:
        try:
            posts = write_archive(export, spool, on_progress=_progress(export_id))
        except Exception as error:
            logger.exception("Records export %s failed", export_id)
            _finish_failed(export, error)
            return False
        spool.seek(0)
        digest = hashlib.sha256()
        for chunk in iter(lambda: spool.read(1024 * 1024), b""):
            digest.update(chunk)
        size = spool.tell()
        spool.seek(0)
        with transaction.atomic():
            export = RecordsExport.objects.select_for_update().get(pk=export_id)
            export.file.save(f"records-{export.pk}.zip", File(spool), save=False)
            export.sha256 = digest.hexdigest()
            export.size = size
            export.state = RecordsExport.State.READY
            export.finished_at = timezone.now()
            export.error = ""
            export.save(update_fields=["file", "sha256", "size", "state", "finished_at", "error"])
            audit_log(
                action="analytics.records.ready",
                actor_label="system",
                target=export,
                unit=export.unit,
                data={**_scope_data(export), "posts": posts, "sha256": export.sha256},
            )
    return True


def _finish_failed(export: RecordsExport, error: Exception) -> None:
    with transaction.atomic():
        RecordsExport.objects.filter(pk=export.pk).update(
            state=RecordsExport.State.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        audit_log(
            action="analytics.records.failed",
            actor_label="system",
            target=export,
            unit=export.unit,
            data={**_scope_data(export), "error": type(error).__name__},
        )


def records_export_downloaded(
    *, actor: User, export: RecordsExport, request: HttpRequest | None = None
) -> None:
    """Who took a copy of the record, and which (its hash)."""
    if not user_may_export_records_of(actor, export.unit_id):
        raise PermissionDenied
    audit_about(
        export,
        "analytics.records.downloaded",
        actor=actor,
        request=request,
        data={"sha256": export.sha256},
    )


def records_exports_delete_expired(*, now: datetime | None = None) -> int:
    """Delete the exports (row and file) older than ``RECORDS_EXPORT_RETENTION_DAYS``: the
    e-file system keeps the record, Sprachrohr only the audit entry saying it existed.
    Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RECORDS_EXPORT_RETENTION_DAYS)
    deleted = 0
    for export_id in RecordsExport.objects.filter(created_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            export = (
                RecordsExport.objects.select_for_update(skip_locked=True)
                .select_related("unit")
                .filter(pk=export_id, created_at__lt=cutoff)
                .first()
            )
            if export is None:
                continue
            audit_log(
                action="analytics.records.deleted",
                actor_label="system",
                target=export,
                unit=export.unit,
                data={
                    **_scope_data(export),
                    "sha256": export.sha256,
                    "retention_days": settings.RECORDS_EXPORT_RETENTION_DAYS,
                },
            )
            name, storage = export.file.name, export.file.storage
            export.delete()
            if name:
                # Only once the row is gone for good: a rolled-back delete keeps its file.
                transaction.on_commit(partial(storage.delete, name))
            deleted += 1
    return deleted
