# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The simulated colleague of a practice space (issue 15): its audit entries carry its name
(the post history shows it, not an address of the practice domain), and nobody can
deactivate it, not even the practising system admin whose space it serves."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.audit import audit_log
from accounts.models import AuditEntry
from accounts.models import Role
from accounts.models import User
from accounts.practice.selectors import PRACTICE_COLLEAGUE_DOMAIN
from accounts.practice.selectors import practice_colleague_for
from accounts.practice.selectors import practice_unit_for
from accounts.practice.services import practice_mode_set
from accounts.services import user_deactivate
from accounts.services import user_invite
from tests.conftest import People
from tests.conftest import de
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _practising(user: User) -> tuple[User, User]:
    """The user in practice mode, and their colleague."""
    practice_mode_set(user=user, active=True)
    user = User.objects.get(pk=user.pk)
    colleague = practice_colleague_for(user)
    assert colleague is not None
    return user, colleague


def test_the_colleagues_audit_entries_carry_its_name(people: People) -> None:
    _editor, colleague = _practising(people.editor)
    # Made with the space: the colleague's post, submitted for the user's review.
    labels = set(AuditEntry.objects.filter(actor=colleague).values_list("actor_label", flat=True))
    assert labels == {colleague.full_name}
    assert PRACTICE_COLLEAGUE_DOMAIN not in colleague.full_name


def test_a_real_person_is_still_labelled_by_their_address(people: People) -> None:
    entry = audit_log(action="accounts.user.updated", actor=people.editor)
    assert entry.actor_label == people.editor.email


def test_a_label_given_by_the_writer_is_kept_for_the_colleague(people: People) -> None:
    _editor, colleague = _practising(people.editor)
    entry = audit_log(action="accounts.user.updated", actor=colleague, actor_label="publishing")
    assert entry.actor_label == "publishing"


def test_the_practising_admin_cannot_deactivate_their_colleague(people: People) -> None:
    admin, colleague = _practising(people.system_admin)
    with pytest.raises(ValidationError):
        user_deactivate(actor=admin, user=colleague)
    assert User.objects.get(pk=colleague.pk).is_active
    assert not AuditEntry.objects.filter(
        action="accounts.user.deactivated", target_id=str(colleague.pk)
    ).exists()


def test_a_person_invited_into_the_practice_space_may_be_deactivated(people: People) -> None:
    """Only the colleague the space depends on is protected: a simulated person the admin
    invited there is theirs to deactivate (practising that task)."""
    admin, _colleague = _practising(people.system_admin)
    unit = practice_unit_for(admin)
    assert unit is not None
    invited = user_invite(
        actor=admin,
        email="colleague-1@stadt.example",
        full_name="Neu",
        language="de",
        unit=unit,
        role=Role.EDITOR,
    )
    assert not user_deactivate(actor=admin, user=invited).is_active


def test_the_users_page_says_why_the_colleague_stays_active(client, people: People) -> None:  # type: ignore[no-untyped-def]
    admin, colleague = _practising(people.system_admin)
    login(client, admin)
    response = client.post(
        reverse("manage:user_detail", args=[colleague.pk]), {"action": "deactivate"}, follow=True
    )
    assert (
        de("The practice colleague belongs to a practice space and cannot be deactivated.")
        in response.content.decode()
    )
    assert User.objects.get(pk=colleague.pk).is_active


def test_the_users_page_offers_no_deactivation_of_the_colleague(client, people: People) -> None:  # type: ignore[no-untyped-def]
    admin, colleague = _practising(people.system_admin)
    login(client, admin)
    page = client.get(reverse("manage:user_detail", args=[colleague.pk])).content.decode()
    assert 'value="deactivate"' not in page
    assert (
        de("The practice colleague belongs to a practice space and cannot be deactivated.") in page
    )
