"""Public holidays per German federal state, computed (no data file, no network)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from datetime import timedelta

from accounts.federal_states import federal_states_for_units
from accounts.models import FederalState
from accounts.models import OrgUnit
from accounts.models import User
from accounts.selectors import user_role_assignments

# --- Public holidays -------------------------------------------------------------------------

S = FederalState


def easter_sunday(year: int) -> date:
    """Gregorian Easter (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(state: str, year: int) -> dict[date, str]:
    """Statutory public holidays of a German federal state in a year.

    Names stay German: they are the legal names of the days, like the states' names.
    Regional holidays that only some municipalities keep (Augsburger Friedensfest, Mariä
    Himmelfahrt in parts of Bavaria) are marked as such."""
    easter = easter_sunday(year)
    days: dict[date, str] = {
        date(year, 1, 1): "Neujahr",
        easter - timedelta(days=2): "Karfreitag",
        easter + timedelta(days=1): "Ostermontag",
        date(year, 5, 1): "Tag der Arbeit",
        easter + timedelta(days=39): "Christi Himmelfahrt",
        easter + timedelta(days=50): "Pfingstmontag",
        date(year, 10, 3): "Tag der Deutschen Einheit",
        date(year, 12, 25): "1. Weihnachtsfeiertag",
        date(year, 12, 26): "2. Weihnachtsfeiertag",
    }
    if state in {S.BW, S.BY, S.ST}:
        days[date(year, 1, 6)] = "Heilige Drei Könige"
    if (state == S.BE and year >= 2019) or (state == S.MV and year >= 2023):
        days[date(year, 3, 8)] = "Internationaler Frauentag"
    if state == S.BB:
        days[easter] = "Ostersonntag"
        days[easter + timedelta(days=49)] = "Pfingstsonntag"
    if state in {S.BW, S.BY, S.HE, S.NW, S.RP, S.SL}:
        days[easter + timedelta(days=60)] = "Fronleichnam"
    if state == S.SL:
        days[date(year, 8, 15)] = "Mariä Himmelfahrt"
    elif state == S.BY:
        days[date(year, 8, 15)] = "Mariä Himmelfahrt (nicht überall in Bayern)"
    if state == S.TH and year >= 2019:
        days[date(year, 9, 20)] = "Weltkindertag"
    # 2017 (500 years of the Reformation) was a holiday everywhere; four northern states
    # added it for good from 2018.
    reformation = {S.BB, S.MV, S.SN, S.ST, S.TH}
    if year >= 2018:
        reformation |= {S.HB, S.HH, S.NI, S.SH}
    if year == 2017 or state in reformation:
        days[date(year, 10, 31)] = "Reformationstag"
    if state in {S.BW, S.BY, S.NW, S.RP, S.SL}:
        days[date(year, 11, 1)] = "Allerheiligen"
    if state == S.SN:
        # The Wednesday before 23 November.
        nov22 = date(year, 11, 22)
        days[nov22 - timedelta(days=(nov22.weekday() - 2) % 7)] = "Buß- und Bettag"
    return days


def federal_states_of_units(units: Iterable[OrgUnit]) -> set[str]:
    """The federal states the units are in (each unit's own, else the nearest ancestor's; a
    unit without one adds none). One query."""
    return {state for state in federal_states_for_units(units).values() if state}


def federal_state_for_unit(unit: OrgUnit) -> str:
    return federal_states_for_units([unit])[unit.pk]


def holidays_for_states(states: Iterable[str], start: date, end: date) -> dict[date, list[str]]:
    """Holidays between ``start`` and ``end`` (exclusive). With several states, a holiday
    not kept in all of them names the states that keep it."""
    states = sorted(set(states))
    per_day: dict[date, dict[str, list[str]]] = {}
    for state in states:
        for year in range(start.year, end.year + 1):
            for day, name in public_holidays(state, year).items():
                if start <= day < end:
                    per_day.setdefault(day, {}).setdefault(name, []).append(state)
    result: dict[date, list[str]] = {}
    for day in sorted(per_day):
        result[day] = [
            name if len(keepers) == len(states) else f"{name} ({', '.join(keepers)})"
            for name, keepers in per_day[day].items()
        ]
    return result


def holidays_for_user(
    user: User, start: date, end: date, *, unit: OrgUnit | None = None
) -> dict[date, list[str]]:
    """Holidays of the chosen unit's state, else of the states of the user's units."""
    units = [unit] if unit is not None else [a.unit for a in user_role_assignments(user)]
    return holidays_for_states(federal_states_of_units(units), start, end)
