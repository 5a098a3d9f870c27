"""Celery tasks of the monthly reports (queue ``analytics``): thin, by id, idempotent."""

from __future__ import annotations

from celery import shared_task

from analytics.reports.services import monthly_reports_schedule
from analytics.reports.services import report_build


@shared_task(ignore_result=True)
def dispatch_monthly_reports() -> int:
    """Beat, on the first of each month at 06:00 (Berlin): queue the previous month's report
    of every unit that has it switched on (once per unit and month)."""
    return len(monthly_reports_schedule())


@shared_task(
    ignore_result=True,
    acks_late=True,
    # Only the e-mail's delivery is retried: the report is built once and stays built.
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_jitter=True,
    max_retries=6,
)
def build_report(run_id: int) -> str:
    run = report_build(run_id=run_id)
    return run.status if run is not None else "gone"
