# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Standing weekly formats: planned as topic slots up to the horizon, idempotently, by the
beat task too; changed, paused and resumed with their future slots taken back and planned
anew (slots a post was started from, or changed by hand, stay); deleted the same way; all
audited; editors of the unit only."""

from __future__ import annotations

from datetime import date
from datetime import time
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from accounts.models import AuditEntry
from editorial.models import CalendarSlot
from editorial.models import WeeklyFormat
from editorial.planning.services import slot_delete
from editorial.planning.services import slot_update
from editorial.planning.services import slot_write_post
from editorial.weekly_formats.selectors import HORIZON
from editorial.weekly_formats.selectors import weekly_format_days
from editorial.weekly_formats.services import weekly_format_create
from editorial.weekly_formats.services import weekly_format_delete
from editorial.weekly_formats.services import weekly_format_pause
from editorial.weekly_formats.services import weekly_format_resume
from editorial.weekly_formats.services import weekly_format_update
from editorial.weekly_formats.services import weekly_formats_plan
from editorial.weekly_formats.tasks import plan_weekly_formats
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

# A Wednesday; the format falls on Mondays.
TODAY = date(2027, 3, 3)
MONDAYS = [date(2027, 3, 8) + timedelta(weeks=n) for n in range(6)]


@pytest.fixture(autouse=True)
def _today() -> object:
    with time_machine.travel("2027-03-03 10:00 +01:00", tick=False) as traveller:
        yield traveller


def _preview(org: Org, people: People, **fields: object) -> WeeklyFormat:
    arguments: dict[str, object] = {
        "actor": people.editor,
        "unit": org.press,
        "title": "Wochenvorschau",
        "weekday": WeeklyFormat.Weekday.MONDAY,
        "time": time(9),
        "channels": [org.press_channel],
    }
    arguments.update(fields)
    return weekly_format_create(**arguments)  # type: ignore[arg-type]


def _days(weekly_format: WeeklyFormat) -> list[date]:
    return sorted(weekly_format.slots.values_list("day", flat=True))


def test_the_days_of_a_format_fall_on_its_weekday() -> None:
    weekly_format = WeeklyFormat(weekday=0, starts_on=TODAY)
    assert weekly_format_days(weekly_format, TODAY, TODAY + timedelta(days=13)) == MONDAYS[:2]


def test_a_new_format_is_planned_up_to_the_horizon(org: Org, people: People) -> None:
    weekly_format = _preview(org, people)
    assert _days(weekly_format) == [d for d in MONDAYS if d <= TODAY + HORIZON]
    slot = weekly_format.slots.order_by("day").first()
    assert slot is not None
    assert (slot.title, slot.time, slot.unit) == ("Wochenvorschau", time(9), org.press)
    assert list(slot.channels.all()) == [org.press_channel]


def test_creating_is_audited_with_the_days_planned(org: Org, people: People) -> None:
    weekly_format = _preview(org, people)
    created = AuditEntry.objects.get(action="editorial.weekly_format.created")
    assert created.data["after"]["time"] == "09:00"
    planned = AuditEntry.objects.get(action="editorial.weekly_format.planned")
    assert planned.data["slots"] == list(
        weekly_format.slots.order_by("day").values_list("pk", flat=True)
    )


def test_a_format_starting_later_is_planned_from_its_first_day(org: Org, people: People) -> None:
    weekly_format = _preview(org, people, starts_on=MONDAYS[2])
    assert _days(weekly_format)[0] == MONDAYS[2]


def test_planning_again_plans_nothing_twice(org: Org, people: People) -> None:
    _preview(org, people)
    assert weekly_formats_plan() == 0


def test_the_beat_task_plans_the_next_week_as_time_goes_on(
    org: Org, people: People, _today: time_machine.Coordinates
) -> None:
    weekly_format = _preview(org, people)
    before = len(_days(weekly_format))
    _today.shift(timedelta(weeks=1))
    assert plan_weekly_formats.apply().get() == 1
    assert len(_days(weekly_format)) == before + 1


def test_a_deleted_slot_is_not_planned_again(org: Org, people: People) -> None:
    weekly_format = _preview(org, people)
    slot = weekly_format.slots.order_by("day").first()
    assert slot is not None
    slot_delete(actor=people.editor, slot=slot)
    weekly_formats_plan()
    assert MONDAYS[0] not in _days(weekly_format)


def test_a_day_with_a_slot_of_the_same_title_keeps_it(org: Org, people: People) -> None:
    CalendarSlot.objects.create(unit=org.press, title="Wochenvorschau", day=MONDAYS[0])
    _preview(org, people)
    assert CalendarSlot.objects.filter(unit=org.press, day=MONDAYS[0]).count() == 1


def test_a_change_plans_the_future_slots_anew(org: Org, people: People) -> None:
    weekly_format = _preview(org, people)
    weekly_format_update(
        actor=people.editor, weekly_format=weekly_format, weekday=2, time=time(11, 30)
    )
    slots = weekly_format.slots.order_by("day")
    assert {s.day.weekday() for s in slots} == {2}
    assert {s.time for s in slots} == {time(11, 30)}
    entry = AuditEntry.objects.get(action="editorial.weekly_format.updated")
    assert (entry.data["before"]["weekday"], entry.data["after"]["weekday"]) == (0, 2)


def test_a_slot_a_post_was_started_from_stays_after_a_change(org: Org, people: People) -> None:
    weekly_format = _preview(org, people)
    slot = weekly_format.slots.order_by("day").first()
    assert slot is not None
    post = slot_write_post(actor=people.editor, slot=slot)
    weekly_format_update(actor=people.editor, weekly_format=weekly_format, title="Wochenblick")
    assert CalendarSlot.objects.get(post=post).title == "Wochenvorschau"
    assert weekly_format.slots.filter(title="Wochenblick").count() == len(MONDAYS) - 1


def test_pausing_takes_back_the_future_slots_and_plans_no_more(org: Org, people: People) -> None:
    weekly_format = _preview(org, people)
    weekly_format_pause(actor=people.editor, weekly_format=weekly_format)
    assert _days(weekly_format) == []
    assert weekly_formats_plan() == 0
    assert AuditEntry.objects.filter(action="editorial.weekly_format.paused").count() == 1
    assert AuditEntry.objects.filter(action="editorial.weekly_format.unplanned").count() == 1


def test_resuming_plans_again(org: Org, people: People) -> None:
    weekly_format = _preview(org, people)
    weekly_format_pause(actor=people.editor, weekly_format=weekly_format)
    weekly_format_resume(actor=people.editor, weekly_format=weekly_format)
    assert _days(weekly_format) == [d for d in MONDAYS if d <= TODAY + HORIZON]
    assert AuditEntry.objects.filter(action="editorial.weekly_format.resumed").count() == 1


def test_an_unchanged_save_writes_nothing(org: Org, people: People) -> None:
    weekly_format = _preview(org, people)
    weekly_format_update(actor=people.editor, weekly_format=weekly_format, title="Wochenvorschau")
    assert not AuditEntry.objects.filter(action="editorial.weekly_format.updated").exists()


def test_only_editors_of_the_unit_keep_its_formats(org: Org, people: People) -> None:
    with pytest.raises(PermissionDenied):
        _preview(org, people, actor=people.approver)
    weekly_format = _preview(org, people)
    with pytest.raises(PermissionDenied):
        weekly_format_pause(actor=people.outsider, weekly_format=weekly_format)
    with pytest.raises(PermissionDenied):
        _preview(org, people, unit=org.police_press)


def _edit_first_slot_by_hand(weekly_format: WeeklyFormat, people: People) -> CalendarSlot:
    slot = weekly_format.slots.order_by("day").first()
    assert slot is not None
    return slot_update(actor=people.editor, slot=slot, note="Mit Interview der Bürgermeisterin")


def test_a_slot_changed_by_hand_stays_after_a_change(org: Org, people: People) -> None:
    weekly_format = _preview(org, people)
    edited = _edit_first_slot_by_hand(weekly_format, people)
    weekly_format_update(actor=people.editor, weekly_format=weekly_format, time=time(10))
    edited.refresh_from_db()
    assert (edited.day, edited.time, edited.note) == (
        MONDAYS[0],
        time(9),
        "Mit Interview der Bürgermeisterin",
    )
    assert edited.weekly_format == weekly_format
    # The other Mondays are planned anew at the new time; the edited day is not planned twice.
    assert _days(weekly_format) == [d for d in MONDAYS if d <= TODAY + HORIZON]
    assert {s.time for s in weekly_format.slots.exclude(pk=edited.pk)} == {time(10)}
    unplanned = AuditEntry.objects.get(action="editorial.weekly_format.unplanned")
    assert MONDAYS[0].isoformat() not in unplanned.data["days"]


def test_a_slot_moved_by_hand_stays_after_a_change(org: Org, people: People) -> None:
    weekly_format = _preview(org, people)
    slot = weekly_format.slots.order_by("day").first()
    assert slot is not None
    moved = slot_update(actor=people.editor, slot=slot, day=MONDAYS[0] + timedelta(days=1))
    weekly_format_update(actor=people.editor, weekly_format=weekly_format, title="Wochenblick")
    moved.refresh_from_db()
    assert (moved.title, moved.day) == ("Wochenvorschau", MONDAYS[0] + timedelta(days=1))


def test_a_slot_changed_by_hand_stays_after_a_pause(org: Org, people: People) -> None:
    weekly_format = _preview(org, people)
    edited = _edit_first_slot_by_hand(weekly_format, people)
    weekly_format_pause(actor=people.editor, weekly_format=weekly_format)
    assert list(weekly_format.slots.all()) == [edited]


def test_deleting_takes_back_the_future_slots_and_is_audited(org: Org, people: People) -> None:
    weekly_format = _preview(org, people)
    pk = weekly_format.pk
    planned = list(weekly_format.slots.order_by("day"))
    post = slot_write_post(actor=people.editor, slot=planned[0])
    edited = slot_update(actor=people.editor, slot=planned[1], note="Mit Interview")
    weekly_format_delete(actor=people.editor, weekly_format=weekly_format)
    assert not WeeklyFormat.objects.filter(pk=pk).exists()
    # The slot with a post and the one changed by hand stay, as ordinary topic slots.
    kept = CalendarSlot.objects.filter(unit=org.press).order_by("day")
    assert list(kept) == [CalendarSlot.objects.get(post=post), edited]
    assert {s.weekly_format_id for s in kept} == {None}
    deleted = AuditEntry.objects.get(action="editorial.weekly_format.deleted")
    assert deleted.data["before"]["title"] == "Wochenvorschau"
    unplanned = AuditEntry.objects.get(action="editorial.weekly_format.unplanned")
    assert unplanned.data["days"] == [d.isoformat() for d in MONDAYS[2:] if d <= TODAY + HORIZON]
    assert weekly_formats_plan() == 0


def test_only_editors_of_the_unit_delete_a_format(org: Org, people: People) -> None:
    weekly_format = _preview(org, people)
    for actor in (people.approver, people.outsider):
        with pytest.raises(PermissionDenied):
            weekly_format_delete(actor=actor, weekly_format=weekly_format)
    assert WeeklyFormat.objects.filter(pk=weekly_format.pk).exists()
    assert not AuditEntry.objects.filter(action="editorial.weekly_format.deleted").exists()
