"""The audited write, written once: validate, save and log in the caller's transaction.

Services in every app end a write the same way: ``full_clean()``, ``save()`` and an audit
entry with what the object looks like now (and looked like before). ``save_audited`` does
exactly that; ``audit_changed`` logs an update with only the fields that changed, and
nothing when none did, so a form saved unchanged leaves no entry behind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import models
from django.http import HttpRequest

from accounts.audit import audit_log
from accounts.models import OrgUnit, User

M = TypeVar("M", bound=models.Model)


def save_audited(
    instance: M,
    *,
    action: str,
    actor: User,
    request: HttpRequest | None,
    unit: OrgUnit | None,
    after: Callable[[M], dict[str, Any]] | None = None,
    before: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    update_fields: Sequence[str] | None = None,
    target: models.Model | None = None,
) -> M:
    """Validate and save ``instance``, then log ``action`` on it (or on ``target``, the
    object the change is about, where that is another); ``after`` makes the entry's
    ``after`` from the saved object (its primary key is known by then)."""
    instance.full_clean()
    instance.save(update_fields=update_fields)
    audit_log(
        action=action,
        actor=actor,
        request=request,
        target=instance if target is None else target,
        unit=unit,
        before=before,
        after=after(instance) if after is not None else None,
        data=data,
    )
    return instance


def audit_changed(
    *,
    action: str,
    actor: User,
    request: HttpRequest | None,
    target: models.Model,
    unit: OrgUnit | None,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    data: dict[str, Any] | None = None,
) -> list[str]:
    """Log ``action`` with the fields of ``after`` whose value differs from ``before`` (an
    empty ``before``, the object was just made, is logged as none); returns their names,
    and logs nothing when there are none."""
    changed = [name for name in after if before.get(name) != after[name]]
    if changed:
        audit_log(
            action=action,
            actor=actor,
            request=request,
            target=target,
            unit=unit,
            before={name: before.get(name) for name in changed} if before else None,
            after={name: after[name] for name in changed},
            data=data,
        )
    return changed
