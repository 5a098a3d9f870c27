"""Demo monthly report (``manage.py load_demo``): the Presseamt's report of last month,
built now (the PDF of the demo figures), so the archive is not empty. Requested as the demo
approver and built here rather than by a worker (no broker needed). Idempotent: a report of that
month once there (built, or failed with its reason) is not made again."""

from __future__ import annotations

from django.utils import timezone

from accounts.demo import DEMO_DOMAIN
from accounts.models import OrgUnit
from accounts.models import User
from analytics.models import ReportRun
from analytics.reports.selectors import Month
from analytics.reports.selectors import report_settings_of
from analytics.reports.services import report_build


def load(units: dict[str, OrgUnit]) -> None:
    press = units["Presseamt"]
    actor = User.objects.filter(email=f"freigabe@{DEMO_DOMAIN}").first()
    month = Month.of(timezone.localdate()).previous()
    if actor is None or ReportRun.objects.filter(unit=press, month=month.start).exists():
        return
    run = ReportRun.objects.create(
        unit=press,
        month=month.start,
        language=report_settings_of(press).language,
        trigger=ReportRun.Trigger.REQUEST,
        created_by=actor,
    )
    report_build(run_id=run.pk)
