"""Practice mode (Übungsmodus): switch it on and off, and make the practice space on first use.

A user's practice space is one unit of their own (``OrgUnit.practice_of``), a root of its own
(no parent), so that no query over a real unit's subtree reaches it. The user holds there the
roles they may practise: editor, approver and community manager for everybody; channel
admin, auditor and system admin for those who hold these roles for real (so that each role's
checklist can be completed in practice). A simulated colleague (a user who cannot log in)
holds editor and approver there, so that the four-eyes rule is practised as it is: the
colleague approves the user's posts and submits one for the user to review; nobody ever
approves their own post.
Apps above fill the space through ``events.practice_space_provisioned`` (sandbox channels,
the colleague's post) and top it up through ``events.practice_space_opened`` (the starter
library's Netiquette, saved replies and a post template, so a beginner can start at once).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import RoleAssignment
from accounts.models import User
from accounts.practice.events import practice_space_opened
from accounts.practice.events import practice_space_provisioned
from accounts.practice.selectors import PRACTICE_ENDED
from accounts.practice.selectors import PRACTICE_STARTED
from accounts.practice.selectors import practice_colleague_email
from accounts.practice.selectors import practice_mode_forget
from accounts.practice.selectors import practice_mode_on
from accounts.practice.selectors import user_may_practise
from accounts.services import role_assign
from accounts.services import unit_create

PRACTISED_ROLES = (Role.EDITOR, Role.APPROVER, Role.COMMUNITY_MANAGER)
# Practised only by those who hold them for real: inside the practice space they reach that
# space alone (its channels, its audit log, its people), never a real unit.
MIRRORED_ROLES = (Role.CHANNEL_ADMIN, Role.AUDITOR, Role.SYSTEM_ADMIN)
COLLEAGUE_ROLES = (Role.EDITOR, Role.APPROVER)


def practised_roles(user: User) -> list[str]:
    """Everybody practises editor, approver and community manager; channel admins,
    auditors and system admins also their own role."""
    held = set(
        RoleAssignment.objects.filter(
            user=user, role__in=MIRRORED_ROLES, unit__practice_of__isnull=True
        ).values_list("role", flat=True)
    )
    return [*PRACTISED_ROLES, *(role for role in MIRRORED_ROLES if role in held)]


def _roles_sync(user: User, unit: OrgUnit, request: HttpRequest | None) -> None:
    """Give the practice space the roles the user practises (a role given for real after
    the space was made is practised from the next switch on; assigning is idempotent).
    Assigned by the system, not by the user: a system admin's "assign a role" is ticked by
    their own assigning, never by the space being made."""
    for role in practised_roles(user):
        role_assign(actor=None, user=user, unit=unit, role=role, request=request, notify_user=False)


def _colleague(owner: User) -> User:
    colleague, _created = User.objects.get_or_create(
        email=practice_colleague_email(owner),
        defaults={"full_name": _("Practice colleague"), "language": owner.language},
    )
    if colleague.has_usable_password():
        colleague.set_unusable_password()
        colleague.save(update_fields=["password"])
    return colleague


@transaction.atomic
def practice_space_provision(*, user: User, request: HttpRequest | None = None) -> OrgUnit:
    """The user's practice unit, made with its roles, colleague and channels on first use."""
    # One provisioning per user, also when two tabs switch at once.
    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = OrgUnit.objects.filter(practice_of=user).first()
    if existing is not None:
        _roles_sync(user, existing, request)
        practice_space_opened.send(sender=OrgUnit, unit=existing, user=user)
        return existing
    name = _("Practice space %(name)s") % {"name": user.get_full_name()}
    try:
        with transaction.atomic():
            unit = unit_create(
                actor=user, name=name[:200], kind=OrgUnit.Kind.OFFICE, request=request
            )
    except IntegrityError:  # pragma: no cover  (a root of the same name: add the id)
        unit = unit_create(
            actor=user, name=f"{name[:180]} ({user.pk})", kind=OrgUnit.Kind.OFFICE, request=request
        )
    OrgUnit.objects.filter(pk=unit.pk).update(practice_of=user)
    unit.practice_of = user
    _roles_sync(user, unit, request)
    colleague = _colleague(user)
    for role in COLLEAGUE_ROLES:
        role_assign(
            actor=None, user=colleague, unit=unit, role=role, request=request, notify_user=False
        )
    audit_log(
        action="accounts.practice.provisioned",
        actor=user,
        request=request,
        target=unit,
        unit=unit,
        data={"roles": practised_roles(user), "colleague": colleague.email},
    )
    practice_mode_forget(user)
    practice_space_provisioned.send(sender=OrgUnit, unit=unit, user=user, colleague=colleague)
    practice_space_opened.send(sender=OrgUnit, unit=unit, user=user)
    return unit


@transaction.atomic
def practice_mode_set(*, user: User, active: bool, request: HttpRequest | None = None) -> bool:
    """Switch practice mode on or off (audited; a switch to the state it has changes
    nothing and writes nothing). The practice space is made on the first switch on."""
    if not user_may_practise(user):
        raise PermissionDenied
    if practice_mode_on(user) == active:
        return active
    unit = practice_space_provision(user=user, request=request)
    audit_log(
        action=PRACTICE_STARTED if active else PRACTICE_ENDED,
        actor=user,
        request=request,
        target=unit,
        unit=unit,
    )
    practice_mode_forget(user)
    return active
