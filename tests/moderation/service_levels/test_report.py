# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The report: share of first responses met, per unit and channel; per employee only when a
system admin switched it on."""

from __future__ import annotations

from datetime import date

import pytest

from moderation.common.permissions import channels_for_reading
from moderation.models import InboxItem
from moderation.models import ModerationSettings
from moderation.service_levels.selectors import service_level_report
from moderation.service_levels.services import item_response_recorded
from moderation.service_levels.services import items_set_deadlines
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.moderation.service_levels.conftest import berlin
from tests.moderation.service_levels.conftest import sent_reply
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

PERIOD = {"start": date(2026, 12, 1), "end": date(2026, 12, 4)}


@pytest.fixture
def answered(org, people):  # type: ignore[no-untyped-def]
    """Three items on the press channel (240 service minutes): one answered in 1 h, one
    answered the next day (missed), one still unanswered and overdue; one on the social
    channel answered in 3 h; one closed without an answer."""
    ModerationSettings.objects.create(unit=org.press)
    items = []
    for channel, minute in (
        (org.press_channel, 0),
        (org.press_channel, 1),
        (org.press_channel, 2),
        (org.social_channel, 3),
        (org.press_channel, 4),
    ):
        items.append(InboxItemFactory(channel=channel, created_at=berlin(2026, 12, 1, 9, minute)))
    items_set_deadlines(items=items)
    for item, at, who in (
        (items[0], berlin(2026, 12, 1, 10, 0), people.community_manager),
        (items[1], berlin(2026, 12, 2, 15, 1), people.community_manager),
        (items[3], berlin(2026, 12, 1, 12, 3), people.system_admin),
    ):
        sent_reply(item, who, at)
        item_response_recorded(item=item, at=at)
    InboxItem.objects.filter(pk=items[4].pk).update(status=InboxItem.Status.CLOSED)
    return items


def _report(org, people):  # type: ignore[no-untyped-def]
    return service_level_report(
        unit=org.press, channels=channels_for_reading(people.community_manager), **PERIOD
    )


def test_share_met(org, people, answered) -> None:
    report = _report(org, people)
    # Met: the 1 h and 3 h answers; missed: the late one and the overdue unanswered one.
    assert (report.total.met, report.total.breached) == (2, 2)
    assert report.total.share_met == 0.5


def test_closed_without_answer_counts_as_not_needed(org, people, answered) -> None:
    report = _report(org, people)
    assert report.total.not_needed == 1
    assert report.total.total == 5


def test_rows_per_channel(org, people, answered) -> None:
    rows = {row.label: row for row in _report(org, people).channels}
    assert (rows["Stadt Mastodon"].met, rows["Stadt Mastodon"].breached) == (1, 2)
    assert (rows["Bürgerservice"].met, rows["Bürgerservice"].breached) == (1, 0)


def test_median_first_response_in_service_hours(org, people, answered) -> None:
    # 1 h, 3 h and the late one: 7 service hours on 1 December + 6 h 1 min on the 2nd.
    assert _report(org, people).total.median_first_response_hours == 3.0


def test_open_item_within_its_deadline_is_open(org, people) -> None:
    item = InboxItemFactory(channel=org.press_channel, created_at=berlin(2026, 12, 1, 9))
    items_set_deadlines(items=[item])
    InboxItem.objects.filter(pk=item.pk).update(response_due_at=berlin(2099, 1, 1, 9))
    assert _report(org, people).total.open == 1


def test_no_rows_per_employee_by_default(org, people, answered) -> None:
    assert _report(org, people).employees is None


def test_rows_per_employee_when_switched_on(org, people, answered) -> None:
    ModerationSettings.objects.filter(unit=org.press).update(employee_figures=True)
    rows = {row.label: row for row in _report(org, people).employees or []}
    manager = rows[str(people.community_manager)]
    assert (manager.total, manager.met, manager.breached) == (2, 1, 1)


def test_other_authoritys_channels_are_not_counted(org, people, answered) -> None:
    InboxItemFactory(channel=org.police_channel, created_at=berlin(2026, 12, 1, 9))
    report = service_level_report(
        unit=org.police, channels=channels_for_reading(people.community_manager), **PERIOD
    )
    assert report.total.total == 0


def test_each_channel_counts_in_its_own_units_service_hours(org, people) -> None:
    # The press office has no service on Saturdays; the team below has a Saturday shift.
    ModerationSettings.objects.create(unit=org.social, service_hours={"5": [["10:00", "12:00"]]})
    item = InboxItemFactory(channel=org.social_channel, created_at=berlin(2026, 12, 5, 10, 0))
    item_response_recorded(item=item, at=berlin(2026, 12, 5, 11, 0))
    report = service_level_report(
        unit=org.press,
        channels=channels_for_reading(people.community_manager),
        start=date(2026, 12, 5),
        end=date(2026, 12, 5),
    )
    assert report.total.median_first_response_hours == 1.0


def test_no_rows_per_employee_for_channels_whose_own_switch_is_off(org, people, answered) -> None:
    # On for the press office, switched off for the team below it (no staff council consent).
    ModerationSettings.objects.filter(unit=org.press).update(employee_figures=True)
    ModerationSettings.objects.create(unit=org.social, employee_figures=False)
    labels = {row.label for row in _report(org, people).employees or []}
    assert str(people.system_admin) not in labels
