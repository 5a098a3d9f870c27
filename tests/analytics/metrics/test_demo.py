"""The demo figures: snapshots of past sandbox posts and 60 days of channel figures, the same
on every load, nothing added twice, and the reading due now left to the worker."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.management import call_command

from analytics.metrics.selectors import snapshots_due
from analytics.models import ChannelDailyFigure, PostMetricSnapshot

pytestmark = pytest.mark.django_db


def _figures() -> list[tuple]:
    return list(
        ChannelDailyFigure.objects.order_by("channel__name", "day").values_list(
            "channel__name", "day", "followers", "posts", "reach"
        )
    )


def test_demo_has_snapshots_and_60_days_of_figures_per_sandbox_channel() -> None:
    with time_machine.travel("2026-06-15 10:00 +0000", tick=False):
        call_command("load_demo", "--force", stdout=io.StringIO())
        figures = _figures()
        snapshots = PostMetricSnapshot.objects.count()
        due = snapshots_due()
        call_command("load_demo", "--force", stdout=io.StringIO())
        assert _figures() == figures and PostMetricSnapshot.objects.count() == snapshots
    assert len(figures) == 3 * 60
    assert all(row[2] and row[4] is not None for row in figures)
    assert (
        snapshots > 0 and PostMetricSnapshot.objects.filter(impressions__isnull=True).count() == 0
    )
    assert due  # what is due now is read live by the worker
