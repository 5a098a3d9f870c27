"""Reads of practice mode (Übungsmodus): a user's practice unit and whether they practise.

The state is read from the audit log: the user's last ``accounts.practice.started`` or
``accounts.practice.ended`` entry decides it. So the page switch and the API agree, every
change is on record by construction, and no column is needed. A user without a practice
unit has never practised: no query at all.

Role scoping: while practice mode is on, a user's role assignments are only those of their
practice unit (the UI shows practice only, unit pickers offer only the practice unit);
while it is off, the practice unit's assignments do not count (nothing of practice shows
among the real units' work). ``scoped_assignments`` does it for ``accounts.selectors``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from accounts.models import AuditEntry
from accounts.models import OrgUnit
from accounts.models import RoleAssignment
from accounts.models import User

PRACTICE_STARTED = "accounts.practice.started"
PRACTICE_ENDED = "accounts.practice.ended"

_MEMO = "_sprachrohr_practice_mode"
_UNIT_MEMO = "_sprachrohr_practice_unit"


def practice_unit_for(user: User) -> OrgUnit | None:
    """The user's own practice unit, if it was provisioned (memoised on the user object)."""
    if not user.is_authenticated or user.pk is None:
        return None
    if not hasattr(user, _UNIT_MEMO):
        setattr(user, _UNIT_MEMO, OrgUnit.objects.filter(practice_of=user).first())
    return getattr(user, _UNIT_MEMO)


def practice_mode_on(user: User) -> bool:
    """Whether the user works in practice mode now (memoised on the user object, which
    lives for one request)."""
    if not user.is_authenticated or user.pk is None:
        return False
    memo = getattr(user, _MEMO, None)
    if memo is None and practice_unit_for(user) is None:
        memo = False  # never practised
        setattr(user, _MEMO, memo)
    if memo is None:
        last = (
            AuditEntry.objects.filter(actor=user, action__in=[PRACTICE_STARTED, PRACTICE_ENDED])
            .order_by("-sequence")
            .values_list("action", flat=True)
            .first()
        )
        memo = last == PRACTICE_STARTED
        setattr(user, _MEMO, memo)
    return bool(memo)


def practice_unit_in_force(user: User) -> OrgUnit | None:
    """The practice unit while the user works in practice mode (what they do is filed
    there), else None."""
    return practice_unit_for(user) if practice_mode_on(user) else None


def practice_mode_forget(user: User) -> None:
    """Drop the memo after a switch, so that the rest of the request sees the new state."""
    for memo in (_MEMO, _UNIT_MEMO):
        if hasattr(user, memo):
            delattr(user, memo)
    if hasattr(user, "_sprachrohr_scope_cache"):
        delattr(user, "_sprachrohr_scope_cache")


def scoped_assignments(user: User, assignments: Iterable[RoleAssignment]) -> list[RoleAssignment]:
    """``assignments`` (with their units loaded) as practice mode scopes them: only those of
    the user's own practice unit while it is on, only the others while it is off. Users
    without a practice unit of their own (everybody who never practised, and the simulated
    colleague, whose roles are all in someone's practice unit) keep all of them."""
    assignments = list(assignments)
    own = [a for a in assignments if a.unit.practice_of_id == user.pk]
    if not own:
        return assignments
    if practice_mode_on(user):
        return own
    return [a for a in assignments if a.unit.practice_of_id is None]


def practice_filter(user: User, prefix: str = "unit__") -> Q:
    """The same scope for rows reached otherwise (channels through object permissions):
    a ``Q`` over ``<prefix>practice_of``."""
    if not user.is_authenticated or practice_unit_for(user) is None:
        return Q()
    if practice_mode_on(user):
        return Q(**{f"{prefix}practice_of": user})
    return Q(**{f"{prefix}practice_of__isnull": True})


def is_practice_colleague(user: User) -> bool:
    """The simulated colleague of someone's practice: a user who cannot log in."""
    return user.email.endswith(PRACTICE_COLLEAGUE_DOMAIN)


PRACTICE_COLLEAGUE_DOMAIN = "@practice.sprachrohr.invalid"


def practice_colleague_email(owner: User) -> str:
    return f"colleague-{owner.pk}{PRACTICE_COLLEAGUE_DOMAIN}"


def is_practice_space_colleague(user: User) -> bool:
    """The colleague a practice space is made with (``practice_colleague_email``), not a
    simulated person a system admin invited there: the space's four eyes depend on it."""
    local, _at, domain = user.email.partition("@")
    number = local.removeprefix("colleague-")
    return f"@{domain}" == PRACTICE_COLLEAGUE_DOMAIN and local != number and number.isdigit()


def practice_person_email(owner_id: int, email: str) -> str:
    """The address of a person a system admin invites into their practice space: of the
    practice domain (a simulated person: no mailbox, no login), made from the address given
    and the owner, so that two people practising may invite the same one."""
    local = email.replace("@", ".at.")[:180]
    return f"{local}-{owner_id}{PRACTICE_COLLEAGUE_DOMAIN}"


def practice_colleague_for(owner: User) -> User | None:
    return User.objects.filter(email=practice_colleague_email(owner)).first()


def user_may_practise(user: User) -> bool:
    """Everyone signed in may practise, except the simulated colleague itself."""
    return user.is_authenticated and user.is_active and not is_practice_colleague(user)
