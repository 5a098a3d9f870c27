"""The question which of the two 02:00-02:59 hours is meant is asked only for the day whose
night has that hour twice (issue 13: it stood on every post form)."""

from __future__ import annotations

from datetime import date
from datetime import datetime

import pytest

from editorial.common.timeutil import BERLIN
from editorial.common.timeutil import clocks_go_back_on
from editorial.posts.forms import RescheduleForm

CLOCKS_GO_BACK = date(2026, 10, 25)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(CLOCKS_GO_BACK, True), (date(2026, 3, 29), False), (date(2026, 12, 5), False)],
    ids=["autumn change", "spring change", "ordinary day"],
)
def test_clocks_go_back_only_on_the_autumn_change(day: date, expected: bool) -> None:
    assert clocks_go_back_on(day) is expected


def _asks(form: RescheduleForm) -> bool:
    return not form["dst_choice"].is_hidden


def test_not_asked_for_an_ordinary_day() -> None:
    planned = datetime(2026, 12, 5, 9, 0, tzinfo=BERLIN)
    assert not _asks(RescheduleForm(initial=RescheduleForm.initial_for(planned)))
    assert not _asks(RescheduleForm())
    assert not _asks(RescheduleForm({"planned_date": "2026-12-05", "planned_time": "02:30"}))


def test_asked_for_the_day_the_clocks_go_back() -> None:
    planned = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN)
    form = RescheduleForm(initial=RescheduleForm.initial_for(planned))
    assert _asks(form)
    assert form["dst_choice"].value() == "second"


def test_a_chosen_ambiguous_time_without_an_answer_shows_the_question_with_its_error() -> None:
    form = RescheduleForm({"planned_date": "2026-10-25", "planned_time": "02:30"})
    assert not form.is_valid()
    assert _asks(form)
    assert form.errors["dst_choice"]


def test_a_hidden_question_is_no_visible_field() -> None:
    form = RescheduleForm()
    assert "dst_choice" not in [field.name for field in form.visible_fields()]
