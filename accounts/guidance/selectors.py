"""Reads of guidance: a person's checklist and the training records a viewer may see."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import QuerySet

from accounts.guidance.checklists import ChecklistItem
from accounts.guidance.checklists import items_for_roles
from accounts.models import Role
from accounts.models import RoleAssignment
from accounts.models import TrainingCompletion
from accounts.models import User
from accounts.practice.selectors import PRACTICE_COLLEAGUE_DOMAIN
from accounts.selectors import unit_ids_for_roles

TRAINING_VIEW_ROLES = (Role.SYSTEM_ADMIN, Role.AUDITOR)


@dataclass(frozen=True)
class ChecklistEntry:
    item: ChecklistItem
    completed_at: datetime | None

    @property
    def done(self) -> bool:
        return self.completed_at is not None


@dataclass(frozen=True)
class Checklist:
    user: User
    entries: list[ChecklistEntry]

    @property
    def done(self) -> int:
        return sum(1 for entry in self.entries if entry.done)

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def complete(self) -> bool:
        return self.done == self.total


def _completions(user: User) -> dict[str, datetime]:
    return dict(TrainingCompletion.objects.filter(user=user).values_list("item", "completed_at"))


def checklist_of(user: User, roles: set[str]) -> Checklist:
    """The items of ``roles`` with when the user completed them."""
    done = _completions(user)
    return Checklist(
        user=user,
        entries=[ChecklistEntry(item, done.get(item.key)) for item in items_for_roles(roles)],
    )


def checklist_for(user: User) -> Checklist:
    """The user's own checklist: the items of every role they hold in their real units (in
    practice mode the roles in force are those of the practice space, which mirror them)."""
    return checklist_of(user, _real_roles(user))


def people_in_training_scope(viewer: User, *, unit_id: int | None = None) -> QuerySet[User]:
    """People with a role in a unit the viewer administers or audits (below it included);
    ``unit_id``: only those with a role in that unit (one of the viewer's). Never a
    simulated person of a practice space (an auditor practising sees their space's people)."""
    unit_ids = unit_ids_for_roles(viewer, TRAINING_VIEW_ROLES)
    if unit_id is not None:
        unit_ids = unit_ids & {unit_id}
    in_scope = RoleAssignment.objects.filter(user=OuterRef("pk"), unit_id__in=unit_ids)
    return (
        User.objects.filter(Exists(in_scope))
        .exclude(email__endswith=PRACTICE_COLLEAGUE_DOMAIN)
        .order_by("full_name", "email")
    )


def _real_roles(person: User) -> set[str]:
    # The roles of the person's real units decide their checklist; the practice space only
    # mirrors them.
    return set(
        RoleAssignment.objects.filter(user=person, unit__practice_of__isnull=True).values_list(
            "role", flat=True
        )
    )


def training_records(viewer: User, *, unit_id: int | None = None) -> list[Checklist]:
    """The checklist of each person in the viewer's scope, by name. Two queries plus one per
    person's roles would grow with the people: roles and completions are read in bulk."""
    people = list(people_in_training_scope(viewer, unit_id=unit_id))
    ids = [person.pk for person in people]
    roles: dict[int, set[str]] = {}
    for user_id, role in RoleAssignment.objects.filter(
        user_id__in=ids, unit__practice_of__isnull=True
    ).values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    done: dict[int, dict[str, datetime]] = {}
    for user_id, item, completed_at in TrainingCompletion.objects.filter(
        user_id__in=ids
    ).values_list("user_id", "item", "completed_at"):
        done.setdefault(user_id, {})[item] = completed_at
    return [
        Checklist(
            user=person,
            entries=[
                ChecklistEntry(item, done.get(person.pk, {}).get(item.key))
                for item in items_for_roles(roles.get(person.pk, set()))
            ],
        )
        for person in people
    ]


def training_record_of(person: User) -> Checklist:
    return checklist_of(person, _real_roles(person))


def training_rows(records: list[Checklist]) -> Iterator[tuple[User, ChecklistEntry]]:
    for record in records:
        for entry in record.entries:
            yield record.user, entry
