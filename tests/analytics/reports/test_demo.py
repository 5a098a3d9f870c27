"""The demo has a finished monthly report and a finished records export for the Presseamt,
so their pages are not empty; loading again adds none."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.management import call_command

from analytics.models import RecordsExport, ReportRun

pytestmark = pytest.mark.django_db


def test_demo_has_a_built_report_and_records_export_once() -> None:
    with time_machine.travel("2026-06-15 10:00 +0000", tick=False):
        call_command("load_demo", "--force", stdout=io.StringIO())
        call_command("load_demo", "--force", stdout=io.StringIO())
    run = ReportRun.objects.get()
    assert (run.unit.name, f"{run.month:%Y-%m}") == ("Presseamt", "2026-05")
    assert run.status == ReportRun.Status.READY, run.error
    assert run.size and len(run.sha256) == 64
    export = RecordsExport.objects.get()
    assert export.state == RecordsExport.State.READY, export.error
    assert export.posts_total > 0 and len(export.sha256) == 64
