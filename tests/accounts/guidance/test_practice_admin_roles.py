# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The auditor's and the system admin's checklists are completed in practice mode (issue 15):
the practice space mirrors the roles they hold for real, so the auditor reads and exports
their practice space's audit log, and the system admin invites a (simulated) person, assigns
a role and runs a crisis drill there, all through the pages. Nothing they do touches a real
unit, a real person or a real mailbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from accounts.guidance.selectors import checklist_for
from accounts.guidance.selectors import people_in_training_scope
from accounts.models import AuditEntry
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import RoleAssignment
from accounts.models import TrainingCompletion
from accounts.models import User
from accounts.practice.selectors import is_practice_colleague
from accounts.practice.selectors import practice_colleague_for
from accounts.practice.selectors import practice_unit_for
from accounts.practice.services import practice_mode_set
from accounts.tasks import send_invitation_email
from accounts.tasks import send_notification_email
from editorial.models import CrisisDrill
from editorial.models import PublishingPause
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def mails_queued(callbacks: list[Callable[[], Any]]) -> int:
    # The invitation is queued as a lambda: its code names the task it sends.
    mailers = {send_notification_email.delay, send_invitation_email.delay}
    return sum(
        1
        for c in callbacks
        if getattr(c, "func", None) in mailers
        or "send_invitation_email" in getattr(getattr(c, "__code__", None), "co_names", ())
    )


def _practising(user: User) -> tuple[User, OrgUnit]:
    practice_mode_set(user=user, active=True)
    user = User.objects.get(pk=user.pk)
    unit = practice_unit_for(user)
    assert unit is not None
    return user, unit


def _nothing_real(user: User, unit: OrgUnit) -> None:
    """Every entry the person wrote (but signing in) is filed under their practice space."""
    written = AuditEntry.objects.filter(actor=user).exclude(action__startswith="accounts.login.")
    assert list(written.exclude(unit=unit).values_list("action", flat=True)) == []


def test_the_practice_space_mirrors_the_auditor_and_system_admin_roles(people: People) -> None:
    _auditor, audited = _practising(people.auditor)
    _admin, administered = _practising(people.system_admin)
    assert RoleAssignment.objects.filter(unit=audited, role=Role.AUDITOR).exists()
    assert not RoleAssignment.objects.filter(unit=audited, role=Role.SYSTEM_ADMIN).exists()
    assert RoleAssignment.objects.filter(unit=administered, role=Role.SYSTEM_ADMIN).exists()


def test_a_role_given_for_real_later_is_practised_from_the_next_switch_on(
    org: Org, people: People
) -> None:
    editor, unit = _practising(people.editor)
    practice_mode_set(user=editor, active=False)
    RoleAssignment.objects.create(user=editor, unit=org.press, role=Role.AUDITOR)
    practice_mode_set(user=User.objects.get(pk=editor.pk), active=True)
    assert RoleAssignment.objects.filter(unit=unit, user=editor, role=Role.AUDITOR).exists()


def test_an_auditor_completes_the_checklist_in_practice(
    client: Client, org: Org, people: People
) -> None:
    auditor, unit = _practising(people.auditor)
    login(client, auditor)
    page = client.get(reverse("audit"))
    assert page.status_code == 200
    # The practice space's log only: nothing of the city's real work.
    assert {e.unit_id for e in page.context["page"]} == {unit.pk}
    export = client.get(reverse("audit"), {"format": "csv"})
    assert export.status_code == 200
    b"".join(export.streaming_content if export.streaming else [export.content])
    checklist = checklist_for(auditor)
    assert checklist.complete, [e.item.key for e in checklist.entries if not e.done]
    _nothing_real(auditor, unit)


def test_a_system_admin_completes_the_checklist_in_practice(
    client: Client, org: Org, people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    admin, unit = _practising(people.system_admin)
    login(client, admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invited = client.post(
            reverse("manage:user_invite"),
            {
                "email": "neu@stadt.example",
                "full_name": "Nele Neu",
                "language": "de",
                "unit": unit.pk,
                "role": Role.EDITOR,
            },
        )
        assert invited.status_code == 302, invited.context["form"].errors
        colleague = practice_colleague_for(admin)
        assert colleague is not None
        assigned = client.post(
            reverse("manage:user_detail", args=[colleague.pk]),
            {"action": "assign_role", "unit": unit.pk, "role": Role.COMMUNITY_MANAGER},
        )
        assert assigned.status_code == 302
        started = client.post(
            reverse("crisis:drills"),
            {"title": "Übung Sturm", "unit": unit.pk, "participants": [admin.pk]},
        )
        assert started.status_code == 302
    checklist = checklist_for(admin)
    assert checklist.complete, [e.item.key for e in checklist.entries if not e.done]
    _nothing_real(admin, unit)
    assert mails_queued(callbacks) == 0
    # The invited person is simulated: the real address is not taken, nobody can log in.
    assert not User.objects.filter(email="neu@stadt.example").exists()
    person = User.objects.get(role_assignments__unit=unit, full_name="Nele Neu")
    assert is_practice_colleague(person) and not person.has_usable_password()
    # The drill paused the practice space only.
    drill = CrisisDrill.objects.get()
    assert drill.unit == unit
    assert set(PublishingPause.objects.values_list("unit", flat=True)) == {unit.pk}


def test_assigning_the_practice_spaces_own_roles_ticks_nothing(people: People) -> None:
    admin, _unit = _practising(people.system_admin)
    assert not TrainingCompletion.objects.filter(user=admin, item="system_admin.assign_role")


def test_in_practice_mode_the_admin_sees_no_real_person_without_a_role(
    client: Client, people: People
) -> None:
    loose = User.objects.create_user(email="ohne-rolle@stadt.example", full_name="Ohne Rolle")
    admin, _unit = _practising(people.system_admin)
    login(client, admin)
    assert client.get(reverse("manage:user_detail", args=[loose.pk])).status_code == 404


def test_real_work_still_ticks_the_auditors_items(client: Client, people: People) -> None:
    login(client, people.auditor)
    client.get(reverse("audit"))
    entry = AuditEntry.objects.get(action="accounts.audit.viewed")
    assert entry.unit is not None and not entry.unit.is_practice
    assert TrainingCompletion.objects.filter(user=people.auditor, item="auditor.read_audit_log")


def test_no_unit_is_made_below_a_practice_space(client: Client, people: People) -> None:
    admin, unit = _practising(people.system_admin)
    login(client, admin)
    client.post(
        reverse("manage:unit_create"), {"name": "Unterübung", "kind": "office", "parent": unit.pk}
    )
    assert not OrgUnit.objects.filter(parent=unit).exists()


def test_a_practising_auditors_training_record_lists_no_simulated_person(
    people: People,
) -> None:
    auditor, _unit = _practising(people.auditor)
    assert [person.pk for person in people_in_training_scope(auditor)] == [auditor.pk]
