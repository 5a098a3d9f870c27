"""How long a block lasts before someone must look at it again.

A block of a citizen on an authority's page is the most serious measure and must stay
proportionate: it is never open-ended. Every block carries a review date; by default three
months after the block (or after the last review), and a community manager may choose an
earlier date, or a later one up to six months ahead, never more. At the review the block is
either kept (with a new date and a fresh justification) or lifted. These periods are the
register's rules for every authority, so that no unit can quietly block for good.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_REVIEW_MONTHS = 3
MAX_REVIEW_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day where it is shorter (31 Jan + 1
    month is 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_review_date(today: date) -> date:
    return add_months(today, DEFAULT_REVIEW_MONTHS)


def latest_review_date(today: date) -> date:
    return add_months(today, MAX_REVIEW_MONTHS)


def review_date_checked(value: date | None, *, today: date, field: str = "review_due_on") -> date:
    """``value`` if it is a date from tomorrow up to the maximum, the default if it is None;
    else a ``ValidationError`` on ``field``."""
    if value is None:
        return default_review_date(today)
    if value <= today:
        raise ValidationError({field: _("Choose a review date in the future.")})
    latest = latest_review_date(today)
    if value > latest:
        raise ValidationError(
            {
                field: _(
                    "A block must be reviewed within %(months)d months: choose %(latest)s or"
                    " earlier."
                )
                % {"months": MAX_REVIEW_MONTHS, "latest": latest.isoformat()}
            }
        )
    return value
