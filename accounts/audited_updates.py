"""An update logged with only what changed, written once: validate, save, set its relations.

An edit form's service (a goal, a target group, a channel strategy, a unit's report
settings) changes the fields the caller set, may replace a many-to-many relation, and logs
the fields that differ from before with ``audit_changed`` (nothing when none did, so a form
saved unchanged leaves no entry behind). ``save_changed`` is that ending; the caller still
locks the row, checks the rules, takes ``before`` and sets the fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.db import models
from django.http import HttpRequest

from accounts.audited import audit_changed
from accounts.models import OrgUnit, User

M = TypeVar("M", bound=models.Model)


def save_changed(
    instance: M,
    *,
    action: str,
    actor: User,
    request: HttpRequest | None,
    unit: OrgUnit | None,
    before: Mapping[str, Any],
    after: Callable[[M], Mapping[str, Any]],
    relations: Mapping[str, Iterable[models.Model]] | None = None,
    data: dict[str, Any] | None = None,
) -> list[str]:
    """Validate and save ``instance``, set each many-to-many field of ``relations`` to its
    objects, then log ``action`` with the fields of ``after(instance)`` that differ from
    ``before``; returns their names."""
    instance.full_clean()
    instance.save()
    for name, objects in (relations or {}).items():
        getattr(instance, name).set(objects)
    return audit_changed(
        action=action,
        actor=actor,
        request=request,
        target=instance,
        unit=unit,
        before=before,
        after=after(instance),
        data=data,
    )
