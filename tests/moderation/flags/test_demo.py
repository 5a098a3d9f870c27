"""The demo keyword alerts load once, filed as the authority's demo staff."""

from __future__ import annotations

import pytest

from accounts.demo import demo_units
from accounts.demo import load as load_accounts
from moderation.flags.demo import ALERTS
from moderation.flags.demo import load
from moderation.models import KeywordAlert

pytestmark = pytest.mark.django_db


def test_demo_alerts_load_idempotently() -> None:
    units = demo_units()
    load_accounts(units)
    load(units)
    load(units)
    assert KeywordAlert.objects.count() == sum(len(alerts) for alerts in ALERTS.values())
    city_alert = KeywordAlert.objects.get(phrase="Hochwasser")
    assert city_alert.created_by.email.startswith("community@")
