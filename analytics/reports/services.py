"""Writes of the monthly reports: a unit's report settings, a report requested for a month,
the monthly schedule, building the PDF and e-mailing it.

Building is claimed atomically (``queued`` → ``building`` in one conditional UPDATE), so two
workers or a redelivered task never build one report twice; a build left behind by a killed
worker is taken over after ``BUILD_LEASE``. A scheduled report exists once per unit and month
(database constraint) and is e-mailed once (``mailed_at`` claimed the same way)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import date
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit_log
from accounts.audit import audit_snapshot
from accounts.audited import audit_about
from accounts.audited import save_audited
from accounts.audited import save_changed
from accounts.errors import ConflictError
from accounts.models import OrgUnit
from accounts.models import User
from analytics.models import ReportRun
from analytics.models import ReportSettings
from analytics.reports.content import report_pdf
from analytics.reports.mail import report_send
from analytics.reports.permissions import unit_ids_for_reading_reports
from analytics.reports.permissions import user_may_edit_reports_of
from analytics.reports.selectors import Month
from analytics.reports.selectors import report_recipients_offered
from analytics.reports.selectors import report_settings_due
from analytics.reports.selectors import report_settings_of

logger = logging.getLogger(__name__)

# Longer than any build takes: a report still "being built" after this was left by a
# worker that died, and the next delivery of its task builds it.
BUILD_LEASE = timedelta(minutes=30)
SETTINGS_FIELDS = ("enabled", "language", "extra_addresses")


class ReportPendingError(ConflictError):
    default_message = gettext_lazy("A report of this unit for this month is being built already.")


def _check_may_edit(actor: User, unit_id: int) -> None:
    if not user_may_edit_reports_of(actor, unit_id):
        raise PermissionDenied(
            _(
                "Only approvers and system admins of the unit build its reports and set who"
                " receives them."
            )
        )


def _clean_addresses(text: str) -> str:
    addresses: list[str] = []
    for line in text.splitlines():
        address = line.strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {
                    "extra_addresses": _("“%(address)s” is not an e-mail address.")
                    % {"address": address}
                }
            ) from None
        if address.lower() not in (a.lower() for a in addresses):
            addresses.append(address)
    return "\n".join(addresses)


def _settings_snapshot(report_settings: ReportSettings) -> dict[str, object]:
    return {
        **audit_snapshot(report_settings, *SETTINGS_FIELDS),
        "recipients": sorted(user.pk for user in report_settings.recipients.all())
        if report_settings.pk
        else [],
    }


@transaction.atomic
def report_settings_update(
    *,
    actor: User,
    unit: OrgUnit,
    enabled: bool,
    language: str,
    recipients: Iterable[User],
    extra_addresses: str = "",
    request: HttpRequest | None = None,
) -> ReportSettings:
    """Whether the unit's report goes out monthly, in which language and to whom: people
    who read the unit's reports, and further addresses."""
    _check_may_edit(actor, unit.pk)
    recipients = list(recipients)
    offered = set(report_recipients_offered(unit).values_list("pk", flat=True))
    if any(user.pk not in offered for user in recipients):
        raise ValidationError(
            {"recipients": _("Choose people with a role in this unit or in a unit above it.")}
        )
    addresses = _clean_addresses(extra_addresses)
    if enabled and not recipients and not addresses:
        raise ValidationError(
            {"recipients": _("Choose at least one recipient for the monthly report.")}
        )
    report_settings, _created = ReportSettings.objects.select_for_update().get_or_create(unit=unit)
    before = _settings_snapshot(report_settings) if not _created else {}
    report_settings.enabled = enabled
    report_settings.language = language
    report_settings.extra_addresses = addresses
    report_settings.updated_at = timezone.now()
    report_settings.updated_by = actor
    save_changed(
        report_settings,
        action="analytics.reports.settings_updated",
        actor=actor,
        request=request,
        unit=unit,
        before=before,
        after=_settings_snapshot,
        relations={"recipients": recipients},
    )
    return report_settings


def report_downloaded(*, actor: User, run: ReportRun, request: HttpRequest | None = None) -> None:
    """Who took a copy of a report, and which (its month and hash)."""
    if run.unit_id not in unit_ids_for_reading_reports(actor):
        raise PermissionDenied
    audit_about(
        run,
        "analytics.reports.downloaded",
        actor=actor,
        request=request,
        data={"month": f"{run.month:%Y-%m}", "sha256": run.sha256},
    )


def _queue_build(run_id: int) -> None:
    from analytics.reports.tasks import build_report

    transaction.on_commit(lambda: build_report.delay(run_id))


@transaction.atomic
def report_request(
    *, actor: User, unit: OrgUnit, month: Month, request: HttpRequest | None = None
) -> ReportRun:
    """A report of ``unit`` for ``month`` built now (by a worker), in the unit's report
    language. It is not e-mailed: whoever asked downloads it from the archive."""
    _check_may_edit(actor, unit.pk)
    if month.start > timezone.localdate():
        raise ValidationError({"month": _("The month has not begun yet.")})
    # One at a time per unit and month: a second click would only build the same again.
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()
    pending = ReportRun.objects.filter(
        unit=unit,
        month=month.start,
        status__in=(ReportRun.Status.QUEUED, ReportRun.Status.BUILDING),
    )
    if pending.exists():
        raise ReportPendingError
    run = ReportRun(
        unit=unit,
        month=month.start,
        language=report_settings_of(unit).language,
        trigger=ReportRun.Trigger.REQUEST,
        created_by=actor,
    )
    save_audited(
        run,
        action="analytics.reports.requested",
        actor=actor,
        request=request,
        unit=unit,
        data={"month": str(month)},
    )
    _queue_build(run.pk)
    return run


def monthly_reports_schedule(*, today: date | None = None) -> list[int]:
    """Beat, on the first of a month: the previous month's report of every unit whose
    report is switched on, once per unit and month. Run again (a second beat, a retry) it
    queues only what is still waiting. Returns the reports queued."""
    month = Month.of(today or timezone.localdate()).previous()
    queued = []
    for report_settings in report_settings_due():
        with transaction.atomic():
            run, _created = ReportRun.objects.get_or_create(
                unit=report_settings.unit,
                month=month.start,
                trigger=ReportRun.Trigger.SCHEDULE,
                defaults={"language": report_settings.language},
            )
            if run.status == ReportRun.Status.QUEUED:
                _queue_build(run.pk)
                queued.append(run.pk)
    return queued


def _claim(run_id: int) -> bool:
    now = timezone.now()
    return (
        ReportRun.objects.filter(pk=run_id)
        .filter(
            Q(status=ReportRun.Status.QUEUED)
            | Q(status=ReportRun.Status.BUILDING, started_at__lt=now - BUILD_LEASE)
        )
        .update(status=ReportRun.Status.BUILDING, started_at=now, error="")
        == 1
    )


def _file_name(run: ReportRun) -> str:
    return f"report-{run.unit_id}-{run.month:%Y-%m}-{run.pk}.pdf"


def report_build(*, run_id: int) -> ReportRun | None:
    """Build the report's PDF, store it with its SHA-256 and, when it is the scheduled one,
    e-mail it. Idempotent: a report built already is not built again (only e-mailed, if
    that is what failed)."""
    if not _claim(run_id):
        run = ReportRun.objects.select_related("unit").filter(pk=run_id).first()
        if run is not None and run.status == ReportRun.Status.READY:
            report_mail(run)
        return run
    run = ReportRun.objects.select_related("unit").get(pk=run_id)
    try:
        data = report_pdf(run)
    except Exception as error:
        logger.exception("Report %s could not be built", run.pk)
        with transaction.atomic():
            run.status = ReportRun.Status.FAILED
            run.error = f"{type(error).__name__}: {error}"[:2000]
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "error", "finished_at"])
            audit_log(
                action="analytics.reports.failed",
                target=run,
                unit=run.unit,
                actor_label="reports",
                data={"month": f"{run.month:%Y-%m}", "error": run.error},
            )
        return run
    with transaction.atomic():
        run.file.save(_file_name(run), ContentFile(data), save=False)
        run.sha256 = hashlib.sha256(data).hexdigest()
        run.size = len(data)
        run.status = ReportRun.Status.READY
        run.finished_at = timezone.now()
        run.save(update_fields=["file", "sha256", "size", "status", "finished_at"])
        audit_log(
            action="analytics.reports.built",
            target=run,
            unit=run.unit,
            actor_label="reports",
            data={"month": f"{run.month:%Y-%m}", "trigger": run.trigger, "sha256": run.sha256},
        )
    report_mail(run)
    return run


def report_mail(run: ReportRun) -> bool:
    """E-mail a built scheduled report to the unit's recipients, once. A failure to send
    (OSError) gives the claim back and is raised for the task to retry."""
    if run.trigger != ReportRun.Trigger.SCHEDULE or run.status != ReportRun.Status.READY:
        return False
    report_settings = report_settings_of(run.unit)
    people = (
        [user for user in report_settings.recipients.all() if user.is_active]
        if (report_settings.pk)
        else []
    )
    addresses = report_settings.addresses
    if not people and not addresses:
        return False
    claimed = (
        ReportRun.objects.filter(pk=run.pk, mailed_at__isnull=True).update(mailed_at=timezone.now())
        == 1
    )
    if not claimed:
        return False
    try:
        sent_to = report_send(run, people=people, addresses=addresses)
    except OSError:
        ReportRun.objects.filter(pk=run.pk).update(mailed_at=None)
        raise
    with transaction.atomic():
        ReportRun.objects.filter(pk=run.pk).update(mailed_to=sent_to)
        audit_log(
            action="analytics.reports.mailed",
            target=run,
            unit=run.unit,
            actor_label="reports",
            data={"month": f"{run.month:%Y-%m}", "recipients": sent_to},
        )
    run.refresh_from_db()
    return True
