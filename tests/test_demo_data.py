"""``manage.py load_demo`` (run by ``make run``): each app's ``demo`` module contributes its
part, bottom layer first, and running it again changes nothing.

Loading the demo takes seconds, so it is loaded twice for the whole module, at a fixed
moment (the demo's dates follow the clock), in one transaction rolled back when the module
is done; what the first load made is recorded before the second. Each test runs in a
savepoint of that transaction. As in a ``django_db`` test, on-commit callbacks (the
workers' tasks) never run: the demo builds its report and records export itself.

The analytics part: snapshots of past sandbox posts and 60 days of channel figures, the
same on every load, the reading due now left to the worker; a finished monthly report and
a finished records export for the Presseamt, so their pages are not empty."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import User
from analytics.metrics.selectors import DueSnapshot
from analytics.metrics.selectors import snapshots_due
from analytics.models import ChannelDailyFigure
from analytics.models import PostMetricSnapshot
from analytics.models import RecordsExport
from analytics.models import ReportRun
from channels_app.models import Channel
from editorial.models import Post
from tests.matrix import built_once
from tests.matrix import db  # noqa: F401 (db: each test in a savepoint of the world)


@dataclass(frozen=True)
class FirstLoad:
    """What the first of the two loads wrote and found."""

    output: str
    counts: tuple[int, int, int]
    figures: list[tuple[Any, ...]]
    snapshots: int
    due: list[DueSnapshot]


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo", "--force", stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), Channel.objects.count(), Post.objects.count()


def _figures() -> list[tuple[Any, ...]]:
    return list(
        ChannelDailyFigure.objects.order_by("channel__name", "day").values_list(
            "channel__name", "day", "followers", "posts", "reach"
        )
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[FirstLoad]:
    """The demo loaded twice; what the first load left behind."""
    with built_once(django_db_blocker):
        with time_machine.travel("2026-06-15 10:00 +0000", tick=False):
            first = FirstLoad(
                output=_load(),
                counts=_counts(),
                figures=_figures(),
                snapshots=PostMetricSnapshot.objects.count(),
                due=snapshots_due(),
            )
            _load()
        yield first


def test_loading_the_demo_says_so(world: FirstLoad) -> None:
    assert "Demo data loaded." in world.output


def test_demo_data_has_users_connected_sandbox_channels_and_posts(world: FirstLoad) -> None:
    assert User.objects.filter(email__endswith="@demo.sprachrohr.de").count() == 7
    channels = Channel.objects.filter(name__endswith="(Sandbox)")
    assert channels.count() == 3
    assert {c.status for c in channels} == {Channel.Status.ACTIVE}
    assert set(Post.objects.values_list("status", flat=True)) == {
        Post.Status.DRAFT,
        Post.Status.IN_REVIEW,
        Post.Status.SCHEDULED,
        Post.Status.PUBLISHED,  # past posts with figures (analytics)
    }


def test_loading_the_demo_twice_creates_nothing_new(world: FirstLoad) -> None:
    assert _counts() == world.counts


def test_demo_has_60_days_of_figures_per_sandbox_channel(world: FirstLoad) -> None:
    assert len(world.figures) == 3 * 60
    assert all(row[2] and row[4] is not None for row in world.figures)


def test_demo_has_snapshots_of_past_posts(world: FirstLoad) -> None:
    assert world.snapshots > 0
    assert PostMetricSnapshot.objects.filter(impressions__isnull=True).count() == 0


def test_loading_the_demo_twice_gives_the_same_figures_and_snapshots(world: FirstLoad) -> None:
    assert _figures() == world.figures
    assert PostMetricSnapshot.objects.count() == world.snapshots


def test_demo_leaves_the_reading_due_now_to_the_worker(world: FirstLoad) -> None:
    assert world.due


def test_demo_has_a_built_report_of_last_month_once(world: FirstLoad) -> None:
    run = ReportRun.objects.get()
    assert (run.unit.name, f"{run.month:%Y-%m}") == ("Presseamt", "2026-05")
    assert run.status == ReportRun.Status.READY, run.error
    assert run.size and len(run.sha256) == 64


def test_demo_has_a_built_records_export_once(world: FirstLoad) -> None:
    export = RecordsExport.objects.get()
    assert export.state == RecordsExport.State.READY, export.error
    assert export.posts_total is not None and export.posts_total > 0
    assert len(export.sha256) == 64
