"""Shared builders of the goals tests: a goal of the Presseamt with a KPI target."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from accounts.models import OrgUnit
from analytics.models import Goal
from analytics.models import GoalComparison
from analytics.models import GoalMetric
from analytics.models import TargetGroup

PERIOD = {"period_start": date(2026, 1, 1), "period_end": date(2026, 6, 30)}


def make_goal(unit: OrgUnit, **fields: Any) -> Goal:
    values: dict[str, Any] = {
        "title": "Mehr Menschen auf Mastodon erreichen",
        "metric": GoalMetric.FOLLOWERS_GROWTH,
        "comparison": GoalComparison.AT_LEAST,
        "target_value": Decimal("20"),
        **PERIOD,
        **fields,
    }
    return Goal.objects.create(unit=unit, **values)


@pytest.fixture
def goal(org):  # type: ignore[no-untyped-def]
    return make_goal(org.press)


@pytest.fixture
def group(org):  # type: ignore[no-untyped-def]
    return TargetGroup.objects.create(unit=org.press, name="Junge Erwachsene")
