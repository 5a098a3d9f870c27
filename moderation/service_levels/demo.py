"""Demo service levels (``manage.py load_demo``): the city answers in office hours with a
short Saturday shift, the police around the clock in two shifts. Loaded before the demo
inbox, so that ingestion sets the demo items' deadlines from these. Idempotent: a unit that
has settings keeps them."""

from __future__ import annotations

from accounts.models import OrgUnit
from moderation.models import ModerationSettings

CITY_HOURS = {
    **{str(day): [["08:00", "12:00"], ["13:00", "16:30"]] for day in range(4)},
    "4": [["08:00", "13:00"]],
    "5": [["10:00", "12:00"]],
}
POLICE_HOURS = {str(day): [["06:00", "14:00"], ["14:00", "22:00"]] for day in range(7)}


# The demo units' settings, by the unit's name.
DEMO_SETTINGS = {
    "Stadt Musterstadt": {
        "service_hours": CITY_HOURS,
        "first_response_minutes": 240,
        "next_response_minutes": 480,
        "storm_threshold": 25,
        "storm_window_minutes": 60,
    },
    "Polizeipräsidium Musterstadt": {
        "service_hours": POLICE_HOURS,
        "first_response_minutes": 60,
        "next_response_minutes": 120,
        "storm_threshold": 40,
        "storm_window_minutes": 30,
        "replies_need_approval": True,
    },
}


def load(units: dict[str, OrgUnit]) -> None:
    for name, defaults in DEMO_SETTINGS.items():
        unit = units.get(name)
        if unit is not None:
            ModerationSettings.objects.get_or_create(unit=unit, defaults=defaults)
