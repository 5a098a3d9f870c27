"""Demo records export (``manage.py load_demo``): the Presseamt's posts of the last 60 days
as a finished ZIP, so the list of exports is not empty. Requested as the demo auditor and
built here rather than by a worker (no broker needed). Idempotent: once the demo auditor has
one (ready, or failed with its reason), none is added."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.demo import DEMO_DOMAIN
from accounts.models import OrgUnit
from accounts.models import User
from analytics.models import RecordsExport
from analytics.records.services import records_export_build


def load(units: dict[str, OrgUnit]) -> None:
    press = units["Presseamt"]
    actor = User.objects.filter(email=f"pruefung@{DEMO_DOMAIN}").first()
    if actor is None or RecordsExport.objects.filter(unit=press, requested_by=actor).exists():
        return
    today = timezone.localdate()
    export = RecordsExport.objects.create(
        unit=press,
        period_start=today - timedelta(days=60),
        period_end=today - timedelta(days=1),
        requested_by=actor,
    )
    records_export_build(export_id=export.pk)
