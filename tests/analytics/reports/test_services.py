# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Monthly reports: settings audited and checked, a report requested is queued after commit,
the monthly schedule makes one report per unit and month, a build stores a tagged PDF with
the goals and figures and e-mails the scheduled one once."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from accounts.models import AuditEntry
from analytics.models import ReportRun
from analytics.models import ReportSettings
from analytics.reports.selectors import Month
from analytics.reports.services import ReportPendingError
from analytics.reports.services import monthly_reports_schedule
from analytics.reports.services import report_build
from analytics.reports.services import report_request
from analytics.reports.services import report_settings_update
from tests.analytics.reports.conftest import GOAL_TITLE
from tests.analytics.reports.conftest import MONTH
from tests.analytics.reports.conftest import month_of_figures
from tests.analytics.reports.conftest import pdf_text
from tests.analytics.reports.conftest import reach_goal
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import de
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _switch_on(org: Org, people: People, **extra: Any) -> ReportSettings:
    return report_settings_update(
        actor=people.approver,
        unit=org.press,
        enabled=True,
        language=extra.get("language", "de"),
        recipients=[people.editor],
        extra_addresses=extra.get("extra_addresses", "buergermeister@stadt.example"),
    )


def test_settings_are_saved_and_audited(org: Org, people: People) -> None:
    settings = _switch_on(org, people)
    assert settings.enabled and list(settings.recipients.all()) == [people.editor]
    entry = AuditEntry.objects.get(action="analytics.reports.settings_updated")
    assert entry.data["after"]["recipients"] == [people.editor.pk]


def test_editors_and_auditors_may_not_change_settings(org: Org, people: People) -> None:
    for actor in (people.editor, people.auditor):
        with pytest.raises(PermissionDenied):
            report_settings_update(
                actor=actor, unit=org.press, enabled=False, language="de", recipients=[]
            )


def test_a_recipient_must_read_the_unit(org: Org, people: People) -> None:
    with pytest.raises(ValidationError) as error:
        report_settings_update(
            actor=people.approver,
            unit=org.press,
            enabled=True,
            language="de",
            recipients=[people.outsider],
        )
    assert "recipients" in error.value.message_dict


def test_further_addresses_are_checked(org: Org, people: People) -> None:
    with pytest.raises(ValidationError) as error:
        _switch_on(org, people, extra_addresses="kein-mail")
    assert "extra_addresses" in error.value.message_dict


def test_a_request_is_queued_after_commit_and_refused_twice(
    org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        run = report_request(actor=people.approver, unit=org.press, month=MONTH)
    assert len(callbacks) == 1
    assert run.status == ReportRun.Status.QUEUED and run.trigger == ReportRun.Trigger.REQUEST
    with pytest.raises(ReportPendingError):
        report_request(actor=people.approver, unit=org.press, month=MONTH)
    assert AuditEntry.objects.filter(action="analytics.reports.requested").count() == 1


def test_a_future_month_is_refused(org: Org, people: People) -> None:
    with time_machine.travel(date(2026, 10, 15)), pytest.raises(ValidationError):
        report_request(actor=people.approver, unit=org.press, month=Month(2026, 11))


def test_the_pdf_holds_the_goals_and_figures_and_is_tagged(org: Org, people: People) -> None:
    month_of_figures(org)
    reach_goal(org)
    with time_machine.travel(date(2026, 11, 2)):
        run = report_request(actor=people.approver, unit=org.press, month=MONTH)
        run = report_build(run_id=run.pk)
    assert run is not None and run.status == ReportRun.Status.READY, run.error
    text = pdf_text(run)
    assert de("Monthly report") in text and "Presseamt" in text and "Oktober 2026" in text
    assert GOAL_TITLE in text
    assert "31.000" in text  # the month's reach, German grouping
    assert "13.000" in text  # followers at the end of October
    with run.file.open("rb") as handle:
        data = handle.read()
    catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/Lang"] == "de"
    import hashlib

    assert run.sha256 == hashlib.sha256(data).hexdigest()
    assert not mail.outbox  # a report on request is downloaded, not e-mailed
    assert AuditEntry.objects.filter(action="analytics.reports.built").exists()


def test_the_report_is_in_the_units_language(org: Org, people: People) -> None:
    _switch_on(org, people, language="en")
    with time_machine.travel(date(2026, 11, 2)):
        run = report_request(actor=people.approver, unit=org.press, month=MONTH)
        run = report_build(run_id=run.pk)
    assert run is not None
    text = pdf_text(run)
    assert "Monthly report" in text and "October 2026" in text


def test_the_schedule_builds_and_mails_once_per_unit_and_month(
    org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    month_of_figures(org)
    _switch_on(org, people)
    with time_machine.travel(date(2026, 11, 1)):
        with django_capture_on_commit_callbacks(execute=True):
            queued = monthly_reports_schedule()
        assert len(queued) == 1
        report_build(run_id=queued[0])  # the worker's part (no worker runs here)
        with django_capture_on_commit_callbacks(execute=True):
            assert monthly_reports_schedule() == []  # built already: nothing queued again
        report_build(run_id=queued[0])  # a redelivered task
    run = ReportRun.objects.get()
    assert (run.month, run.trigger, run.status) == (
        date(2026, 10, 1),
        ReportRun.Trigger.SCHEDULE,
        ReportRun.Status.READY,
    )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "buergermeister@stadt.example",
        people.editor.email,
    ]
    message = mail.outbox[0]
    assert message.attachments[0][0].endswith("-2026-10.pdf")
    assert message.attachments[0][2] == "application/pdf"
    assert run.mailed_at is not None and len(run.mailed_to) == 2
    assert AuditEntry.objects.filter(action="analytics.reports.mailed").count() == 1


def test_a_failed_build_is_recorded(org: Org, people: People, monkeypatch: Any) -> None:
    def broken(run: ReportRun) -> bytes:
        raise RuntimeError("kaputt")

    monkeypatch.setattr("analytics.reports.services.report_pdf", broken)
    run = report_request(actor=people.approver, unit=org.press, month=MONTH)
    run = report_build(run_id=run.pk)
    assert run is not None and run.status == ReportRun.Status.FAILED and "kaputt" in run.error
    assert AuditEntry.objects.filter(action="analytics.reports.failed").exists()


def test_beat_runs_the_dispatcher_on_the_first_at_six_berlin_time(settings: Any) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["analytics-monthly-reports"]
    schedule = entry["schedule"]
    assert entry["task"] == "analytics.reports.tasks.dispatch_monthly_reports"
    assert schedule.day_of_month == {1} and schedule.hour == {6} and schedule.minute == {0}
    assert settings.CELERY_TIMEZONE == "Europe/Berlin"
    assert settings.CELERY_TASK_ROUTES[entry["task"]] == {"queue": "analytics"}


def test_the_scheduled_report_holds_the_units_figures_with_nobody_holding_a_role(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    month_of_figures(org)
    ReportSettings.objects.create(
        unit=org.press, enabled=True, extra_addresses="buergermeister@stadt.example"
    )
    with time_machine.travel(date(2026, 11, 1)):
        with django_capture_on_commit_callbacks(execute=True):
            (run_id,) = monthly_reports_schedule()
        run = report_build(run_id=run_id)
    assert run is not None and run.status == ReportRun.Status.READY, run.error
    assert "31.000" in pdf_text(run)  # the month's reach: no role holder needed to read it


def test_the_daily_table_prints_dates_in_the_report_language(org: Org, people: People) -> None:
    month_of_figures(org)
    with time_machine.travel(date(2026, 11, 2)):
        run = report_request(actor=people.approver, unit=org.press, month=MONTH)
        run = report_build(run_id=run.pk)
    assert run is not None
    text = pdf_text(run)
    assert "05.10.2026" in text and "31.10.2026" in text
    assert "2026-10-05" not in text
