"""Reads of the starter library per unit: a unit's documents, what it has adopted, and a
document's version history (its audit entries)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import AuditEntry
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from editorial.models import PostTemplate
from editorial.models import UnitDocument
from editorial.models import WeeklyFormat
from editorial.starters.library import emergency_templates_starter
from editorial.starters.library import rhythm_starter

DOCUMENT_ACTIONS = ("editorial.document.adopted", "editorial.document.updated")


def units_with_starters(user: User) -> QuerySet[OrgUnit]:
    """The units whose starter page the user may open: those where they hold a role."""
    return OrgUnit.objects.filter(pk__in=unit_ids_for_roles(user, Role.values)).order_by("path")


def documents_for_user(user: User) -> QuerySet[UnitDocument]:
    return UnitDocument.objects.filter(
        unit_id__in=unit_ids_for_roles(user, Role.values)
    ).select_related("unit", "updated_by")


def unit_document(unit: OrgUnit, kind: str) -> UnitDocument | None:
    return UnitDocument.objects.filter(unit=unit, kind=kind).select_related("updated_by").first()


def document_history(document: UnitDocument) -> QuerySet[AuditEntry]:
    """The document's versions, newest first: each entry holds the text before and after."""
    return AuditEntry.objects.filter(
        action__in=DOCUMENT_ACTIONS, target_id=str(document.pk), unit_id=document.unit_id
    ).select_related("actor")


@dataclass(frozen=True)
class StarterStatus:
    documents: dict[str, UnitDocument | None]
    emergency_templates_missing: list[str]  # names of the library's templates the unit lacks
    rhythm_titles: list[str]


def starter_status(unit: OrgUnit) -> StarterStatus:
    """What the unit has adopted so far (three queries)."""
    documents = {d.kind: d for d in UnitDocument.objects.filter(unit=unit)}
    existing = set(PostTemplate.objects.filter(unit=unit).values_list("name", flat=True))
    names = [item["name"] for item in emergency_templates_starter().items]
    return StarterStatus(
        documents={kind: documents.get(kind) for kind in UnitDocument.Kind.values},
        emergency_templates_missing=[name for name in names if name not in existing],
        rhythm_titles=[item["title"] for item in rhythm_starter().items],
    )


def weekly_format_exists(unit: OrgUnit, title: str, weekday: int) -> bool:
    return WeeklyFormat.objects.filter(unit=unit, title=title, weekday=weekday).exists()
