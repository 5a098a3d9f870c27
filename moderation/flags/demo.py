"""Demo keyword alerts (``manage.py load_demo``): threats and emergencies the city and the
police want to hear about at once, and a topic. Loaded before the demo inbox, so that the
demo comments are flagged on ingestion. Idempotent (one alert per unit and phrase)."""

from __future__ import annotations

from django.db.models import Case
from django.db.models import When

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import RoleAssignment
from moderation.models import KeywordAlert

C = KeywordAlert.Category

ALERTS = {
    "Stadt Musterstadt": [
        ("bring* euch um", C.THREAT, True),
        ("Bombe*", C.THREAT, True),
        ("Amoklauf", C.THREAT, True),
        ("Hochwasser", C.EMERGENCY, True),
        ("Stromausfall", C.EMERGENCY, False),
        ("Stadtfest", C.TOPIC, False),
    ],
    "Polizeipräsidium Musterstadt": [
        ("Anschlag", C.THREAT, True),
        ("Waffe*", C.THREAT, True),
        ("vermisst*", C.EMERGENCY, True),
        ("Blitzer", C.TOPIC, False),
    ],
}


def load(units: dict[str, OrgUnit]) -> None:
    for name, alerts in ALERTS.items():
        unit = units.get(name)
        if unit is None:
            continue
        # Filed as the authority's demo community manager, else anyone of its demo staff.
        assignment = (
            RoleAssignment.objects.filter(unit__path__startswith=unit.path)
            .annotate(
                manager=Case(When(role=Role.COMMUNITY_MANAGER, then=0), default=1),
            )
            .select_related("user")
            .order_by("manager", "unit__path", "pk")
            .first()
        )
        if assignment is None:
            continue
        for phrase, category, raises_priority in alerts:
            KeywordAlert.objects.get_or_create(
                unit=unit,
                phrase=phrase,
                defaults={
                    "category": category,
                    "raises_priority": raises_priority,
                    "created_by": assignment.user,
                },
            )
