# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from guardian.shortcuts import get_objects_for_user

from accounts.models import AuditEntry
from accounts.models import Notification
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import RoleAssignment
from accounts.models import User
from accounts.permissions import APPROVE_ON_CHANNEL
from accounts.permissions import DRAFT_ON_CHANNEL
from accounts.permissions import MANAGE_CHANNEL
from accounts.services import role_assign
from accounts.services import unit_update
from accounts.tasks import send_invitation_email
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.factories import ChannelFactory
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_invite_sends_a_set_password_link_that_works_once(
    org: Org, people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    admin = login(Client(), people.system_admin)
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin.post(
            "/manage/users/invite/",
            {
                "email": "Neu.Person@Stadt.example",
                "full_name": "Nora Neu",
                "language": "en",
                "unit": org.social.pk,
                "role": Role.EDITOR,
            },
        )
    assert response.status_code == 302
    invited = User.objects.get(email="neu.person@stadt.example")
    assert not invited.has_usable_password()
    assert RoleAssignment.objects.filter(user=invited, unit=org.social, role=Role.EDITOR).exists()
    # One e-mail queued (other apps may queue their own work, such as a cache refresh).
    assert [c.__qualname__ for c in callbacks].count("user_invite.<locals>.<lambda>") == 1
    send_invitation_email(invited.pk)  # what the worker runs for the queued task
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["neu.person@stadt.example"]
    assert message.subject == "Your invitation to Sprachrohr"  # in the invitee's language
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", message.body)
    assert link is not None
    path = link.group(0).split("localhost:8000", 1)[-1]
    assert (
        path
        == message.alternatives[0][0]
        .split('href="')[1]
        .split('"')[0]
        .split("localhost:8000", 1)[-1]
    )

    browser = Client()
    form_page = browser.get(path, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    password = "Neues-Passwort-Sicher-99"
    response = browser.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.check_password(password)
    assert AuditEntry.objects.filter(action="accounts.password.set", actor=invited).exists()
    # The link is spent.
    assert not Client().get(path, follow=True).context["validlink"]
    invite_entry = AuditEntry.objects.get(action="accounts.user.invited")
    assert invite_entry.actor == people.system_admin
    assert invite_entry.unit == org.social


def test_invite_refuses_a_duplicate_address_with_a_message(people: People, org: Org) -> None:
    admin = login(Client(), people.system_admin)
    response = admin.post(
        "/manage/users/invite/",
        {
            "email": people.editor.email.upper(),
            "full_name": "Doppelt",
            "language": "de",
            "unit": org.press.pk,
            "role": Role.EDITOR,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_invite_into_another_authority_is_refused(people: People, org: Org) -> None:
    admin = login(Client(), people.outsider)
    response = admin.post(
        "/manage/users/invite/",
        {
            "email": "x@example.org",
            "full_name": "X",
            "language": "de",
            "unit": org.press.pk,
            "role": Role.EDITOR,
        },
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not User.objects.filter(email="x@example.org").exists()


def test_the_invitation_and_unit_pages_confirm_what_they_saved(people: People, org: Org) -> None:
    admin = login(Client(), people.system_admin)  # German, the factory's language
    response = admin.post(
        "/manage/users/invite/",
        {
            "email": "bestaetigt@stadt.example",
            "full_name": "Bestätigt",
            "language": "de",
            "unit": org.press.pk,
            "role": Role.EDITOR,
        },
        follow=True,
    )
    invited = User.objects.get(email="bestaetigt@stadt.example")
    assert response.redirect_chain[-1][0] == f"/manage/users/{invited.pk}/"
    assert [str(m) for m in response.context["messages"]] == [
        "bestaetigt@stadt.example wurde per E-Mail eingeladen."
    ]
    response = admin.post(
        "/manage/units/new/",
        {"name": "Standesamt", "kind": "department", "parent": org.city.pk},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/manage/units/"
    assert [str(m) for m in response.context["messages"]] == [
        "Die Organisationseinheit wurde gespeichert."
    ]


def _assign_approver(people: People, org: Org) -> Client:
    admin = login(Client(), people.system_admin)
    admin.post(
        f"/manage/users/{people.editor.pk}/",
        {"action": "assign_role", "unit": org.social.pk, "role": Role.APPROVER},
    )
    return admin


def test_role_assignment_is_audited(people: People, org: Org) -> None:
    _assign_approver(people, org)
    assert RoleAssignment.objects.filter(user=people.editor, role=Role.APPROVER).exists()
    entry = AuditEntry.objects.get(action="accounts.role.assigned", unit=org.social)
    assert entry.actor == people.system_admin
    assert entry.data == {
        "after": {"user": people.editor.email, "unit": org.social.name, "role": Role.APPROVER}
    }


def test_role_assignment_notifies_the_user(people: People, org: Org) -> None:
    _assign_approver(people, org)
    assert (
        Notification.objects.filter(recipient=people.editor, kind="accounts.role_changed").count()
        == 1
    )


def test_role_removal_is_audited(people: People, org: Org) -> None:
    admin = _assign_approver(people, org)
    assignment = RoleAssignment.objects.get(user=people.editor, role=Role.APPROVER)
    admin.post(
        f"/manage/users/{people.editor.pk}/",
        {"action": "remove_role", "assignment": assignment.pk},
    )
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.get(action="accounts.role.removed").data == {
        "before": {"user": people.editor.email, "unit": org.social.name, "role": Role.APPROVER}
    }
    told = Notification.objects.filter(recipient=people.editor, kind="accounts.role_changed")
    assert [n.context["change"] for n in told.order_by("pk")] == ["assigned", "removed"]


def test_admin_cannot_remove_their_own_admin_role(people: People) -> None:
    admin = login(Client(), people.system_admin)
    own = RoleAssignment.objects.get(user=people.system_admin, role=Role.SYSTEM_ADMIN)
    response = admin.post(
        f"/manage/users/{people.system_admin.pk}/",
        {"action": "remove_role", "assignment": own.pk},
        follow=True,
    )
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_admin_cannot_deactivate_themselves(people: People) -> None:
    admin = login(Client(), people.system_admin)
    admin.post(f"/manage/users/{people.system_admin.pk}/", {"action": "deactivate"})
    people.system_admin.refresh_from_db()
    assert people.system_admin.is_active


def test_a_two_factor_reset_is_audited_and_asks_for_a_new_device(people: People) -> None:
    admin = login(Client(), people.system_admin)
    login(Client(), people.channel_admin)  # creates the channel admin's device
    admin.post(f"/manage/users/{people.channel_admin.pk}/", {"action": "reset_two_factor"})
    assert AuditEntry.objects.filter(action="accounts.two_factor.reset").exists()
    client = Client()
    client.force_login(people.channel_admin)
    assert client.get("/")["Location"] == "/accounts/2fa/setup/"


def test_a_deactivated_user_is_reactivated_and_audited(people: People) -> None:
    admin = login(Client(), people.system_admin)
    admin.post(f"/manage/users/{people.approver.pk}/", {"action": "deactivate"})
    admin.post(f"/manage/users/{people.approver.pk}/", {"action": "reactivate"})
    people.approver.refresh_from_db()
    assert people.approver.is_active
    assert AuditEntry.objects.filter(action="accounts.user.reactivated").exists()


def test_the_user_pages_buttons_confirm_in_the_admins_language(people: People) -> None:
    page = f"/manage/users/{people.approver.pk}/"
    admin = login(Client(), people.system_admin)  # German, the factory's language
    response = admin.post(page, {"action": "deactivate"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Die Person wurde deaktiviert und abgemeldet."
    ]
    people.system_admin.language = "en"
    people.system_admin.save(update_fields=["language"])
    response = admin.post(page, {"action": "reactivate"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["The user has been reactivated."]


def test_roles_grant_channel_permissions_of_the_unit_subtree(org: Org, people: People) -> None:
    drafts = set(get_objects_for_user(people.editor, DRAFT_ON_CHANNEL))
    assert drafts == {org.press_channel, org.social_channel}
    assert not people.editor.has_perm(APPROVE_ON_CHANNEL, org.press_channel)
    assert people.approver.has_perm(APPROVE_ON_CHANNEL, org.social_channel)
    assert people.channel_admin.has_perm(MANAGE_CHANNEL, org.press_channel)
    assert not people.channel_admin.has_perm(MANAGE_CHANNEL, org.police_channel)
    assert set(get_objects_for_user(people.outsider, "channels_app.view_channel")) == {
        org.police_channel
    }


def test_new_channel_and_new_role_follow_the_tree(org: Org) -> None:
    newcomer = UserFactory()
    channel = ChannelFactory(unit=org.social)
    assert not newcomer.has_perm(DRAFT_ON_CHANNEL, channel)
    role_assign(actor=None, user=newcomer, unit=org.city, role=Role.EDITOR)
    newcomer = User.objects.get(pk=newcomer.pk)  # fresh permission cache
    assert newcomer.has_perm(DRAFT_ON_CHANNEL, channel)
    assert not newcomer.has_perm(DRAFT_ON_CHANNEL, org.police_channel)


def test_moving_a_unit_moves_its_permissions(org: Org, people: People) -> None:
    unit_update(
        actor=people.system_admin,
        unit=OrgUnit.objects.get(pk=org.social.pk),
        name=org.social.name,
        kind=org.social.kind,
        parent=org.police,
        federal_state="",
    )
    social = OrgUnit.objects.get(pk=org.social.pk)
    assert social.path == f"{org.police.path}{social.pk}/"
    editor = User.objects.get(pk=people.editor.pk)
    assert not editor.has_perm(DRAFT_ON_CHANNEL, org.social_channel)
    assert editor.has_perm(DRAFT_ON_CHANNEL, org.press_channel)


def test_unit_cannot_be_moved_below_itself(org: Org, people: People) -> None:
    admin = login(Client(), people.system_admin)
    response = admin.post(
        f"/manage/units/{org.press.pk}/",
        {"name": "Presseamt", "kind": "department", "parent": org.social.pk},
    )
    assert response.status_code == 200
    assert OrgUnit.objects.get(pk=org.press.pk).parent_id == org.city.pk


def _create_unit(org: Org, people: People) -> tuple[Client, OrgUnit]:
    admin = login(Client(), people.system_admin)
    admin.post(
        "/manage/units/new/",
        {"name": "Ordnungsamt", "kind": "department", "parent": org.city.pk},
    )
    return admin, OrgUnit.objects.get(name="Ordnungsamt")


def test_a_new_unit_is_placed_below_its_parent(org: Org, people: People) -> None:
    _admin, unit = _create_unit(org, people)
    assert unit.path == f"{org.city.path}{unit.pk}/"


def test_a_unit_edit_is_audited_with_before_and_after(org: Org, people: People) -> None:
    admin, unit = _create_unit(org, people)
    admin.post(
        f"/manage/units/{unit.pk}/",
        {"name": "Ordnungsamt Musterstadt", "kind": "department", "parent": org.city.pk},
    )
    entry = AuditEntry.objects.get(action="accounts.unit.updated", unit=unit)
    assert entry.data["before"]["name"] == "Ordnungsamt"
    assert entry.data["after"]["name"] == "Ordnungsamt Musterstadt"


def test_user_list_uses_a_constant_number_of_queries(
    org: Org, people: People, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    admin = login(Client(), people.system_admin)
    admin.get("/manage/users/")
    with django_assert_max_num_queries(20) as few:
        admin.get("/manage/users/")
    for _ in range(25):
        UserFactory(roles=[(org.press, Role.EDITOR), (org.social, Role.APPROVER)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin.get("/manage/users/")
    assert len(response.context["page"]) == 31  # the six of the city and the 25 new ones
