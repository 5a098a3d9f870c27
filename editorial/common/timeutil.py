"""Planned times are entered in Europe/Berlin wall-clock time and stored aware.

On the spring-forward day 02:00 to 02:59 does not exist; on the autumn day 02:00 to 02:59 happens
twice. Neither may be guessed silently: a non-existent time is refused with a clear message,
an ambiguous one needs the person to say which of the two they mean (summer or winter time).
"""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BERLIN = ZoneInfo("Europe/Berlin")


def is_ambiguous(naive: datetime) -> bool:
    first = naive.replace(tzinfo=BERLIN, fold=0)
    second = naive.replace(tzinfo=BERLIN, fold=1)
    return first.utcoffset() != second.utcoffset() and _exists(naive)


def clocks_go_back_on(day: date) -> bool:
    """Whether ``day`` is the autumn day whose night has the hour 02:00 to 02:59 twice."""
    return is_ambiguous(datetime.combine(day, time(2, 30)))


def _exists(naive: datetime) -> bool:
    aware = naive.replace(tzinfo=BERLIN)
    return aware.astimezone(UTC).astimezone(BERLIN).replace(tzinfo=None) == naive


def berlin_to_aware(naive: datetime, *, second_occurrence: bool | None = None) -> datetime:
    """The instant a Berlin wall-clock time means. ``second_occurrence`` must be given for
    the ambiguous autumn hour (False: the first, still summer time; True: winter time)."""
    if naive.tzinfo is not None:
        return naive
    if not _exists(naive):
        raise ValidationError(
            _(
                "%(time)s does not exist on %(date)s: the clocks go forward from 02:00 to"
                " 03:00 that night. Choose another time, e.g. 03:00."
            )
            % {"time": naive.strftime("%H:%M"), "date": naive.strftime("%d.%m.%Y")},
            code="nonexistent_time",
        )
    if is_ambiguous(naive):
        if second_occurrence is None:
            raise ValidationError(
                _(
                    "%(time)s happens twice on %(date)s because the clocks go back from 03:00"
                    " to 02:00. Choose whether you mean summer time (first) or winter time"
                    " (second)."
                )
                % {"time": naive.strftime("%H:%M"), "date": naive.strftime("%d.%m.%Y")},
                code="ambiguous_time",
            )
        return naive.replace(tzinfo=BERLIN, fold=1 if second_occurrence else 0)
    return naive.replace(tzinfo=BERLIN)
