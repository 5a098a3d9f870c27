"""The audited write, written once: validate, save and log in the caller's transaction.

Services in every app end a write the same way: ``full_clean()``, ``save()`` and an audit
entry with what the object looks like now (and looked like before). Which helper:

- ``save_audited``: the write is one save (a new object, or an update whose ``before`` the
  caller already holds), maybe with its many-to-many relations: validate, save, log.
- ``audited_change``: an update with several steps (a save, then its channels or other
  relations): the snapshot is taken before the block and after it, the entry written only
  when the block succeeds, with the whole before/after.
- ``audit_about``: an entry about an object, filed under the object's unit.
- ``revoke_audited``: a person's secret (API token, feed address) revoked and logged.
- ``audit_changed``: an update logged with only the fields that changed, and nothing when
  none did, so a form saved unchanged leaves no entry behind.
- ``save_changed``: an edit form's update ending with that: validate, save, set its
  many-to-many relations, log only what changed. The caller still locks the row, checks
  the rules, takes ``before`` and sets the fields.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from typing import Protocol
from typing import TypeVar

from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from accounts.audit import audit_log
from accounts.models import OrgUnit
from accounts.models import User
from accounts.selectors import user_home_unit

M = TypeVar("M", bound=models.Model)


class RevocableSecret(Protocol):
    """A model row holding a person's secret that can be revoked."""

    user: Any
    revoked_at: datetime | None

    def save(self, *, update_fields: Sequence[str]) -> None: ...


def save_audited(
    instance: M,
    *,
    action: str,
    actor: User | None,
    request: HttpRequest | None,
    unit: OrgUnit | None,
    after: Callable[[M], dict[str, Any]] | None = None,
    before: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    update_fields: Sequence[str] | None = None,
    target: models.Model | None = None,
    actor_label: str = "",
    relate: Callable[[M], object] | None = None,
) -> M:
    """Validate and save ``instance``, then log ``action`` on it (or on ``target``, the
    object the change is about, where that is another); ``after`` makes the entry's
    ``after`` from the saved object (its primary key is known by then). ``relate`` sets
    what needs the saved row (its channels, say) before the entry is made, so ``after``
    shows it."""
    instance.full_clean()
    instance.save(update_fields=update_fields)
    if relate is not None:
        relate(instance)
    audit_log(
        action=action,
        actor=actor,
        request=request,
        target=instance if target is None else target,
        unit=unit,
        before=before,
        after=after(instance) if after is not None else None,
        data=data,
        actor_label=actor_label,
    )
    return instance


def audit_about(
    instance: models.Model,
    action: str,
    *,
    actor: User | None,
    request: HttpRequest | None,
    **entry: Any,
) -> None:
    """Log ``action`` on ``instance``, filed under the instance's own unit, so that the
    auditors of that unit read it."""
    audit_log(
        action=action,
        actor=actor,
        request=request,
        target=instance,
        unit=getattr(instance, "unit", None),
        **entry,
    )


def revoke_audited(
    secret: RevocableSecret,
    *,
    action: str,
    actor: User,
    request: HttpRequest | None,
    before: dict[str, Any] | None = None,
) -> None:
    """Make a secret of a person's (an API token, a calendar feed address) stop working
    from now on, logged under the person's home unit; nothing when it was revoked already."""
    assert isinstance(secret, models.Model)
    if secret.revoked_at is not None:
        return
    secret.revoked_at = timezone.now()
    secret.save(update_fields=["revoked_at"])
    audit_log(
        action=action,
        actor=actor,
        request=request,
        target=secret,
        unit=user_home_unit(secret.user),
        before=before,
    )


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


@contextmanager
def audited_change(
    instance: M,
    action: str,
    snapshot: Callable[[M], dict[str, Any]],
    *,
    actor: User | None,
    request: HttpRequest | None,
    unit: OrgUnit | None = None,
) -> Iterator[M]:
    """Audit what the block changes of ``instance``: ``snapshot`` of it is taken before the
    block and again after, and the entry (``before``/``after``, for ``unit`` or else the
    instance's own ``unit``) is written when the block ends without an error. Use it inside
    the change's transaction, so the entry is never written without the change nor the
    change without the entry."""
    before = snapshot(instance)
    yield instance
    audit_log(
        action=action,
        actor=actor,
        request=request,
        target=instance,
        unit=unit if unit is not None else getattr(instance, "unit", None),
        before=before,
        after=snapshot(instance),
    )


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
