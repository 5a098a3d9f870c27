"""The helpers the settings declare Celery routes and beat entries with."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings

from config.schedule import periodic
from config.schedule import routes


def test_routes_send_each_task_to_the_queue() -> None:
    assert routes("analytics", "a.tasks.one", "a.tasks.two") == {
        "a.tasks.one": {"queue": "analytics"},
        "a.tasks.two": {"queue": "analytics"},
    }


def test_until_next_expires_a_second_before_the_next_message() -> None:
    entry = periodic("a.tasks.look", timedelta(minutes=5), until_next=True)

    assert entry["options"] == {"expires": 299}


def test_until_next_expires_after_a_second_at_the_least() -> None:
    entry = periodic("a.tasks.look", timedelta(seconds=1), until_next=True)

    assert entry["options"] == {"expires": 1}


def test_until_next_refuses_a_crontab() -> None:
    with pytest.raises(TypeError):
        periodic("a.tasks.daily", crontab(hour=3), until_next=True)


def test_an_entry_without_options_or_args_has_neither() -> None:
    entry = periodic("a.tasks.daily", crontab(hour=3))

    assert set(entry) == {"task", "schedule"}


def test_the_publisher_heartbeat_goes_to_the_publishing_queue_with_its_argument() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["publisher-heartbeat"]

    assert entry["args"] == ("publishing",)
    assert entry["options"] == {"expires": 25, "queue": "publishing"}


def test_dispatchers_expire_before_beat_sends_the_next() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["moderation-dispatch-replies"]

    assert entry["options"] == {"expires": entry["schedule"].total_seconds() - 1}
