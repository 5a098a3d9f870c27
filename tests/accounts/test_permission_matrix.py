"""Every page and API endpoint of accounts (log-in, two-factor, password, invitation, profile,
tokens, notifications, the administration, the audit log, the dashboard), tried by each role,
by a system admin and auditor of another authority (the outsider) and anonymously. Objects of
other units answer 404, endpoints a role may not use answer 403 (or a login redirect / 401
when anonymous).

The matrix is data: ``CASES`` names, per address and HTTP method, the answer of each role.
``test_every_accounts_route_has_a_row`` walks the URL resolver, so a new accounts route (or a
new method on one of its views) fails until its row is written here.

* Public by design (``public=True``): the log-in page, the log-out and the invitation link
  answer anonymous visitors themselves instead of sending them to the log-in page; a wrong
  invitation token answers the documented refusal (the page with ``validlink`` false).
* Second factor owed (``owed=True``): the role's user has a TOTP device and a session that
  passed the password only. Pages send it to the verification, the API answers 401.
* A write whose role is denied (401/403/404, the login redirect) or refused (``unchanged=``:
  an answer that must not change anything, e.g. a form refusing another authority's unit)
  leaves every counted row and field as it was, and sends no mail (the test settings use the
  locmem backend; invitations and notifications are mailed on commit, which never comes).
  Every other write cell must have changed something: the door was open and the body enough.

Permission bugs found are cells marked ``xfail(strict=True)`` in ``KNOWN_BUGS``: fixing the
bug makes the cell pass, which fails the strict xfail and asks for the mark to go.

The objects are built once per module (inside a transaction rolled back at the end); each
test runs in its own savepoint, so a mutating cell does not affect the next.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import get_resolver
from django.urls import resolve
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts import urls as accounts_urls
from accounts.audit import audit_log
from accounts.models import ApiToken
from accounts.models import AuditEntry
from accounts.models import Notification
from accounts.models import NotificationPreference
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import RoleAssignment
from accounts.models import User
from accounts.services import api_token_create
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import build_org
from tests.conftest import build_people
from tests.conftest import login
from tests.factories import TEST_PASSWORD
from tests.factories import UserFactory
from tests.factories import totp_device_for
from tests.matrix import built_once
from tests.matrix import client_with
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.matrix import methods
from tests.matrix import routes
from tests.matrix import session_of

ROLES = [
    "editor",
    "approver",
    "community_manager",
    "channel_admin",
    "auditor",
    "system_admin",
    "outsider",
    "anonymous",
]
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
TWO_FACTOR = frozenset({"channel_admin", "system_admin", "outsider"})  # their roles require it

WRITE_METHODS = ("post", "put", "patch", "delete")
NEW_PASSWORD = "Neues-Kennwort-fuer-2025!"


# --- The objects, built once ------------------------------------------------------------------


@dataclass
class World:
    org: Org
    people: People
    entry: int  # sequence of an audit entry of the Presseamt
    token: ApiToken  # the editor's
    notification: Notification  # the editor's, unread
    invitee: User  # invited into the Social-Media-Team, no password yet
    former: User  # a deactivated editor of the Presseamt
    sessions: dict[str, str] = field(default_factory=dict)

    def client(self, role: str, api: bool) -> Client:
        return client_with(None if role == "anonymous" else self.sessions[role], api)

    def invitation(self, token: str | None = None) -> str:
        uidb64 = urlsafe_base64_encode(force_bytes(self.invitee.pk))
        if token is None:
            token = default_token_generator.make_token(self.invitee)
        return f"/accounts/invitation/{uidb64}/{token}/"


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with built_once(django_db_blocker):
        org = build_org()
        people = build_people(org)
        invitee = UserFactory(
            email="neu@stadt.example", password=None, roles=[(org.social, Role.EDITOR)]
        )
        built = World(
            org=org,
            people=people,
            entry=audit_log(
                action="accounts.unit.updated", unit=org.press, target=org.press
            ).sequence,
            token=api_token_create(user=people.editor, name="Intranet").token,
            notification=Notification.objects.create(
                recipient=people.editor,
                kind="accounts.role_changed",
                context={"change": "assigned", "role": Role.EDITOR, "unit": org.press.name},
            ),
            invitee=invitee,
            former=UserFactory(
                email="ehemalig@stadt.example",
                is_active=False,
                roles=[(org.press, Role.EDITOR)],
            ),
        )
        built.sessions = {role: session_of(getattr(people, role)) for role in SIGNED_IN}
        yield built


# --- The matrix -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    api: bool
    method: str
    url: Callable[[World], str]
    expected: dict[str, int]
    data: Callable[[World], dict[str, Any]] | None = None
    public: bool = False  # anonymous visitors are answered, not sent to the log-in page
    unchanged: frozenset[str] = frozenset()  # roles whose (non-denied) answer changes nothing
    location: str = ""  # every 302 (but the log-in redirect) goes to an address containing it
    context: dict[str, Any] = field(default_factory=dict)  # of every 200 answer
    owed: bool = False  # signed in with the password only: the second factor is still owed


def _all(status: int, **overrides: int) -> dict[str, int]:
    expected = dict.fromkeys(ROLES, status)
    expected.update(overrides)
    return expected


ANON_UI = 302
ANON_API = 401

ADMIN_ONLY = {"system_admin": 302, "outsider": 404, "anonymous": ANON_UI}  # on a city object

CASES = [
    # The dashboard and the signed-in user's own pages.
    Case("dashboard", False, "get", lambda w: "/", _all(200, anonymous=ANON_UI)),
    Case("profile", False, "get", lambda w: "/accounts/profile/", _all(200, anonymous=ANON_UI)),
    Case(
        "profile save",
        False,
        "post",
        lambda w: "/accounts/profile/",
        _all(302, anonymous=ANON_UI),
        data=lambda w: {"save_profile": "1", "full_name": "Neuer Name", "language": "de"},
        location="/accounts/profile/",
    ),
    Case(
        "notifications",
        False,
        "get",
        lambda w: "/accounts/notifications/",
        _all(200, anonymous=ANON_UI),
    ),
    Case(
        "notification mark read (the editor's)",
        False,
        "post",
        lambda w: "/accounts/notifications/",
        _all(302, anonymous=ANON_UI),
        data=lambda w: {"notification": w.notification.pk},
        unchanged=SIGNED_IN - {"editor"},  # marks only the user's own notifications
        location="/accounts/notifications/",
    ),
    Case(
        "token create",
        False,
        "post",
        lambda w: "/accounts/tokens/",
        _all(200, anonymous=ANON_UI),
        data=lambda w: {"name": "Auswertung"},
    ),
    Case(
        "token revoke (the editor's)",
        False,
        "post",
        lambda w: f"/accounts/tokens/{w.token.pk}/revoke/",
        _all(404, editor=302, anonymous=ANON_UI),  # only one's own tokens
        location="/accounts/profile/",
    ),
    # Log-in, log-out, second factor, password: each user for themselves.
    Case(
        "login page",
        False,
        "get",
        lambda w: "/accounts/login/",
        _all(302, anonymous=200),  # signed in: on to the dashboard
        public=True,
        location="/",
    ),
    Case(
        "log in",
        False,
        "post",
        lambda w: "/accounts/login/",
        _all(302),
        data=lambda w: {"username": w.people.editor.email, "password": TEST_PASSWORD},
        public=True,
        unchanged=SIGNED_IN,  # already signed in: redirected before the form is read
        location="/",
    ),
    Case(
        "log in (PUT, empty form)",
        False,
        "put",
        lambda w: "/accounts/login/",
        _all(302, anonymous=200),
        public=True,
        unchanged=frozenset(ROLES),
        location="/",
    ),
    Case(
        "log out",
        False,
        "post",
        lambda w: "/accounts/logout/",
        _all(302),
        public=True,
        unchanged=frozenset({"anonymous"}),  # nobody to log out
        location="/accounts/login/",
    ),
    # Signed in with the password, the second factor still owed (every user has a device).
    Case(
        "profile, second factor owed",
        False,
        "get",
        lambda w: "/accounts/profile/",
        _all(302, anonymous=ANON_UI),
        owed=True,
        location="/accounts/2fa/verify/",
    ),
    Case(
        "api me, second factor owed",
        True,
        "get",
        lambda w: "/api/v1/users/me/",
        _all(401, anonymous=ANON_API),
        owed=True,
    ),
    Case(
        "2fa setup page, second factor owed",
        False,
        "get",
        lambda w: "/accounts/2fa/setup/",
        _all(302, anonymous=ANON_UI),  # replacing the device needs the old one first
        owed=True,
        location="/accounts/2fa/verify/",
    ),
    Case(
        "2fa disable, second factor owed",
        False,
        "post",
        lambda w: "/accounts/2fa/disable/",
        _all(302, anonymous=ANON_UI),
        owed=True,
        unchanged=SIGNED_IN,  # a password alone must not switch the second factor off
    ),
    Case(
        "2fa verify page",
        False,
        "get",
        lambda w: "/accounts/2fa/verify/",
        _all(200, **dict.fromkeys(TWO_FACTOR, 302), anonymous=ANON_UI),  # verified: on
        location="/",
    ),
    Case(
        "2fa verify, wrong code",
        False,
        "post",
        lambda w: "/accounts/2fa/verify/",
        _all(200, anonymous=ANON_UI),
        data=lambda w: {"token": "falsch"},
    ),
    Case(
        "2fa setup page",
        False,
        "get",
        lambda w: "/accounts/2fa/setup/",
        _all(200, anonymous=ANON_UI),
    ),
    Case(
        "2fa setup, wrong code",
        False,
        "post",
        lambda w: "/accounts/2fa/setup/",
        _all(200, anonymous=ANON_UI),
        data=lambda w: {"token": "falsch"},
    ),
    Case(
        "2fa disable",
        False,
        "post",
        lambda w: "/accounts/2fa/disable/",
        _all(302, anonymous=ANON_UI),
        unchanged=TWO_FACTOR,  # their roles require the second factor: refused
        location="/accounts/profile/",
    ),
    Case(
        "password page",
        False,
        "get",
        lambda w: "/accounts/password/",
        _all(200, anonymous=ANON_UI),
    ),
    Case(
        "password change",
        False,
        "post",
        lambda w: "/accounts/password/",
        _all(302, anonymous=ANON_UI),
        data=lambda w: {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        location="/accounts/profile/",
    ),
    Case(
        "password (PUT, empty form)",
        False,
        "put",
        lambda w: "/accounts/password/",
        _all(200, anonymous=ANON_UI),
        unchanged=frozenset(ROLES),
    ),
    # The invitation link: the token is the credential, whoever holds it.
    Case(
        "invitation link",
        False,
        "get",
        lambda w: w.invitation(),
        _all(302),
        public=True,
        location="/set-password/",  # the token moves into the session
    ),
    Case(
        "invitation, wrong token",
        False,
        "get",
        lambda w: w.invitation("cz1abc-0123456789abcdef0123456789abcdef"),
        _all(200),
        public=True,
        context={"validlink": False},
    ),
    Case(
        "invitation set password, wrong token",
        False,
        "post",
        lambda w: w.invitation("cz1abc-0123456789abcdef0123456789abcdef"),
        _all(200),
        data=lambda w: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        public=True,
        unchanged=frozenset(ROLES),
        context={"validlink": False},
    ),
    Case(
        "invitation set password, no token in the session",
        False,
        "post",
        lambda w: w.invitation("set-password"),
        _all(200),
        data=lambda w: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        public=True,
        unchanged=frozenset(ROLES),
        context={"validlink": False},
    ),
    Case(
        "invitation (PUT), wrong token",
        False,
        "put",
        lambda w: w.invitation("cz1abc-0123456789abcdef0123456789abcdef"),
        _all(200),
        public=True,
        unchanged=frozenset(ROLES),
        context={"validlink": False},
    ),
    # The administration: system admins, within their authority.
    Case(
        "user list",
        False,
        "get",
        lambda w: "/manage/users/",
        _all(403, system_admin=200, outsider=200, anonymous=ANON_UI),
    ),
    Case(
        "invite form",
        False,
        "get",
        lambda w: "/manage/users/invite/",
        _all(403, system_admin=200, outsider=200, anonymous=ANON_UI),
    ),
    Case(
        "invite",
        False,
        "post",
        lambda w: "/manage/users/invite/",
        _all(403, system_admin=302, outsider=200, anonymous=ANON_UI),  # outsider: unknown unit
        data=lambda w: {
            "email": "eingeladen@stadt.example",
            "full_name": "Eingeladene Person",
            "language": "de",
            "unit": w.org.social.pk,
            "role": Role.EDITOR,
        },
        unchanged=frozenset({"outsider"}),
    ),
    Case(
        "user detail",
        False,
        "get",
        lambda w: f"/manage/users/{w.people.editor.pk}/",
        _all(403, system_admin=200, outsider=404, anonymous=ANON_UI),
    ),
    Case(
        "assign role",
        False,
        "post",
        lambda w: f"/manage/users/{w.people.editor.pk}/",
        _all(403, system_admin=302, outsider=404, anonymous=ANON_UI),
        data=lambda w: {"action": "assign_role", "unit": w.org.social.pk, "role": Role.APPROVER},
    ),
    Case(
        "remove role",
        False,
        "post",
        lambda w: f"/manage/users/{w.people.approver.pk}/",
        _all(403, **ADMIN_ONLY),
        data=lambda w: {
            "action": "remove_role",
            "assignment": w.people.approver.role_assignments.get().pk,
        },
    ),
    Case(
        "update user",
        False,
        "post",
        lambda w: f"/manage/users/{w.people.editor.pk}/",
        _all(403, **ADMIN_ONLY),
        data=lambda w: {
            "action": "update",
            "full_name": "Erika Muster",
            "two_factor_required": "on",
        },
    ),
    Case(
        "deactivate user",
        False,
        "post",
        lambda w: f"/manage/users/{w.people.approver.pk}/",
        _all(403, system_admin=302, outsider=404, anonymous=ANON_UI),
        data=lambda w: {"action": "deactivate"},
    ),
    Case(
        "reactivate user",
        False,
        "post",
        lambda w: f"/manage/users/{w.former.pk}/",
        _all(403, **ADMIN_ONLY),
        data=lambda w: {"action": "reactivate"},
    ),
    Case(
        "reset 2fa",
        False,
        "post",
        lambda w: f"/manage/users/{w.people.channel_admin.pk}/",
        _all(403, **ADMIN_ONLY),
        data=lambda w: {"action": "reset_two_factor"},
    ),
    Case(
        "unit list",
        False,
        "get",
        lambda w: "/manage/units/",
        _all(403, system_admin=200, outsider=200, anonymous=ANON_UI),
    ),
    Case(
        "unit create form",
        False,
        "get",
        lambda w: "/manage/units/new/",
        _all(403, system_admin=200, outsider=200, anonymous=ANON_UI),
    ),
    Case(
        "unit create",
        False,
        "post",
        lambda w: "/manage/units/new/",
        _all(403, system_admin=302, outsider=200, anonymous=ANON_UI),  # outsider: invalid parent
        data=lambda w: {"name": "Neues Amt", "kind": "department", "parent": w.org.press.pk},
        unchanged=frozenset({"outsider"}),
    ),
    Case(
        "unit edit",
        False,
        "get",
        lambda w: f"/manage/units/{w.org.press.pk}/",
        _all(403, system_admin=200, outsider=404, anonymous=ANON_UI),
    ),
    Case(
        "unit save",
        False,
        "post",
        lambda w: f"/manage/units/{w.org.press.pk}/",
        _all(403, **ADMIN_ONLY),
        data=lambda w: {
            "name": "Presse- und Informationsamt",
            "kind": "department",
            "parent": w.org.city.pk,
        },
        location="/manage/units/",
    ),
    # The audit log: auditors and system admins.
    Case(
        "audit page",
        False,
        "get",
        lambda w: "/audit/",
        _all(403, auditor=200, system_admin=200, outsider=200, anonymous=ANON_UI),
    ),
    Case(
        "audit csv",
        False,
        "get",
        lambda w: "/audit/?format=csv",
        _all(403, auditor=200, system_admin=200, outsider=200, anonymous=ANON_UI),
    ),
    # Guidance: the guides and one's checklist for everyone; training records for system
    # admins and auditors, of the people of their units.
    Case("guide index", False, "get", lambda w: "/guide/", _all(200, anonymous=ANON_UI)),
    Case("guide", False, "get", lambda w: "/guide/editor/", _all(200, anonymous=ANON_UI)),
    Case("checklist", False, "get", lambda w: "/guide/checklist/", _all(200, anonymous=ANON_UI)),
    Case(
        "training records",
        False,
        "get",
        lambda w: "/guide/training/",
        _all(403, auditor=200, system_admin=200, outsider=200, anonymous=ANON_UI),
    ),
    Case(
        "training record (the editor's)",
        False,
        "get",
        lambda w: f"/guide/training/{w.people.editor.pk}/",
        _all(403, auditor=200, system_admin=200, outsider=404, anonymous=ANON_UI),
    ),
    # Practice mode: everyone practises in a space of their own (made on the first switch).
    Case("practice", False, "get", lambda w: "/accounts/practice/", _all(200, anonymous=ANON_UI)),
    Case(
        "practice switch on",
        False,
        "post",
        lambda w: "/accounts/practice/",
        _all(302, anonymous=ANON_UI),
        data=lambda w: {"active": "1"},
        location="/accounts/practice/",
    ),
    # The API.
    Case("api me", True, "get", lambda w: "/api/v1/users/me/", _all(200, anonymous=ANON_API)),
    Case("api practice", True, "get", lambda w: "/api/v1/practice/", _all(200, anonymous=ANON_API)),
    Case(
        "api practice switch on",
        True,
        "put",
        lambda w: "/api/v1/practice/",
        _all(200, anonymous=ANON_API),
        data=lambda w: {"active": True},
    ),
    Case(
        "api me update",
        True,
        "patch",
        lambda w: "/api/v1/users/me/",
        _all(200, anonymous=ANON_API),
        data=lambda w: {"language": "en"},
    ),
    Case("api units", True, "get", lambda w: "/api/v1/units/", _all(200, anonymous=ANON_API)),
    Case(
        "api unit detail",
        True,
        "get",
        lambda w: f"/api/v1/units/{w.org.press.pk}/",
        _all(200, outsider=404, anonymous=ANON_API),
    ),
    Case(
        "api unit update",
        True,
        "patch",
        lambda w: f"/api/v1/units/{w.org.press.pk}/",
        _all(403, system_admin=200, outsider=404, anonymous=ANON_API),
        data=lambda w: {"name": "Presse- und Informationsamt"},
    ),
    Case(
        "api unit create",
        True,
        "post",
        lambda w: "/api/v1/units/",
        _all(403, system_admin=201, outsider=400, anonymous=ANON_API),
        data=lambda w: {"name": "Neues Amt", "kind": "department", "parent": w.org.press.pk},
    ),
    Case(
        "api audit list",
        True,
        "get",
        lambda w: "/api/v1/audit-entries/",
        _all(403, auditor=200, system_admin=200, outsider=200, anonymous=ANON_API),
    ),
    Case(
        "api audit detail",
        True,
        "get",
        lambda w: f"/api/v1/audit-entries/{w.entry}/",
        _all(403, auditor=200, system_admin=200, outsider=404, anonymous=ANON_API),
    ),
    Case(
        "api training checklist",
        True,
        "get",
        lambda w: "/api/v1/training/checklist/",
        _all(200, anonymous=ANON_API),
    ),
    Case(
        "api training records",
        True,
        "get",
        lambda w: "/api/v1/training/records/",
        _all(403, auditor=200, system_admin=200, outsider=200, anonymous=ANON_API),
    ),
    Case(
        "api training record (the editor's)",
        True,
        "get",
        lambda w: f"/api/v1/training/records/{w.people.editor.pk}/",
        _all(403, auditor=200, system_admin=200, outsider=404, anonymous=ANON_API),
    ),
]

# Cells showing a permission bug, until fixed: (case name, role) -> reason. None open; the
# first run found that switching the second factor off needed only the password (fixed:
# SecondFactorFirstMixin guards it as it guards replacing the device).
KNOWN_BUGS: dict[tuple[str, str], str] = {}


# --- Running one cell -------------------------------------------------------------------------


def _state() -> tuple[Any, ...]:
    """What a denied or refused write must leave alone: rows, the fields the accounts
    services write, and the mail outbox."""
    counts = tuple(
        model.objects.count()
        for model in (
            User,
            OrgUnit,
            RoleAssignment,
            ApiToken,
            AuditEntry,
            Notification,
            NotificationPreference,
            TOTPDevice,
            StaticDevice,
            Session,
        )
    )
    return (
        counts,
        tuple(
            User.objects.order_by("pk").values_list(
                "is_active", "full_name", "language", "two_factor_required", "password"
            )
        ),
        tuple(OrgUnit.objects.order_by("pk").values_list("name", "kind", "parent_id", "path")),
        tuple(ApiToken.objects.order_by("pk").values_list("revoked_at", flat=True)),
        tuple(Notification.objects.order_by("pk").values_list("read_at", flat=True)),
        len(mail.outbox),
    )


def _may_change(case: Case, role: str) -> bool:
    if role in case.unchanged or (role == "anonymous" and not case.public):
        return False
    return 200 <= case.expected[role] < 400


def _cells() -> Iterator[Any]:
    for case in CASES:
        for role in ROLES:
            reason = KNOWN_BUGS.get((case.name, role))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(case, role, id=f"{case.name}-{role}", marks=marks)


@pytest.mark.parametrize(("case", "role"), list(_cells()))
def test_permission_matrix(case: Case, role: str, world: World) -> None:
    client = world.client(role, case.api)
    if case.owed and role != "anonymous":
        user = getattr(world.people, role)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            totp_device_for(user)
        client = APIClient() if case.api else Client()
        client.force_login(user)  # the password only
    kwargs: dict[str, Any] = {}
    if case.data is not None:
        kwargs["data"] = case.data(world)
        if case.api:
            kwargs["format"] = "json"
    before = _state() if case.method in WRITE_METHODS else None
    response = getattr(client, case.method)(case.url(world), **kwargs)
    body = "" if response.streaming else response.content.decode(errors="replace")[:300]
    expected = case.expected[role]
    assert response.status_code == expected, (case.name, role, response.status_code, body)
    if expected == ANON_UI and role == "anonymous" and not case.public:
        assert response["Location"].startswith("/accounts/login/")
    elif expected == 302 and case.location:
        assert case.location in response["Location"], (case.name, role, response["Location"])
    if expected == 200:
        for key, value in case.context.items():
            assert response.context[key] == value, (case.name, role, key)
    if before is not None and _may_change(case, role):
        assert _state() != before, ("an allowed write did nothing", case.name, role)
    elif before is not None:
        assert _state() == before, ("a denied or refused write changed something", case.name, role)


def test_outsider_lists_contain_nothing_of_the_other_authority(world: World) -> None:
    org, people = world.org, world.people
    client = login(Client(), people.outsider)
    users_page = client.get("/manage/users/").content.decode()
    assert people.editor.email not in users_page
    assert people.outsider.email in users_page
    assert "Presseamt" not in client.get("/manage/units/").content.decode()
    assert "Presseamt" not in client.get("/audit/").content.decode()

    api = login(APIClient(), people.outsider)
    names = {u["name"] for u in api.get("/api/v1/units/").json()["results"]}
    assert names == {"Polizeipräsidium Musterstadt", "Pressestelle"}
    units_in_audit = {e["unit"] for e in api.get("/api/v1/audit-entries/").json()["results"]}
    assert org.press.pk not in units_in_audit
    assert org.city.pk not in units_in_audit


def test_department_auditor_sees_only_their_subtree(world: World) -> None:
    org = world.org
    press_auditor = UserFactory(roles=[(org.press, Role.AUDITOR)])
    audit_log(action="accounts.unit.updated", unit=org.city, target=org.city)
    social_entry = audit_log(action="accounts.unit.updated", unit=org.social, target=org.social)
    security_entry = audit_log(action="accounts.login.failed", actor_label="x@example.org")
    api = login(APIClient(), press_auditor)
    sequences = {e["sequence"] for e in api.get("/api/v1/audit-entries/").json()["results"]}
    assert social_entry.sequence in sequences
    assert security_entry.sequence not in sequences  # authority-wide security events
    assert all(
        e["unit"] in {org.press.pk, org.social.pk}
        for e in api.get("/api/v1/audit-entries/").json()["results"]
    )


def test_invitation_link_sets_the_password_once(world: World) -> None:
    """The public page the matrix opens: anonymous, with the link's token, sets the password;
    afterwards the same link answers the refusal."""
    client = Client()
    link = world.invitation()
    response = client.get(link)
    assert response.status_code == 302
    response = client.post(
        response["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    world.invitee.refresh_from_db()
    assert world.invitee.check_password(NEW_PASSWORD)
    again = Client().get(link)
    assert again.status_code == 200
    assert again.context["validlink"] is False
    assert not mail.outbox


# --- Completeness: every route of accounts has its rows -----------------------------------------


def _accountsroutes() -> set[tuple[str, str]]:
    """(route name, METHOD) of every route in accounts.urls and of every accounts view
    mounted anywhere, as the resolver serves them."""
    own = {id(p) for _ns, p in routes([*accounts_urls.urlpatterns, *accounts_urls.api_urlpatterns])}
    found: set[tuple[str, str]] = set()
    mounted: set[int] = set()
    for namespace, pattern in routes(get_resolver().url_patterns):
        view_class = getattr(pattern.callback, "view_class", None)
        module = (view_class or pattern.callback).__module__
        if id(pattern) not in own and not module.startswith("accounts."):
            continue
        mounted.add(id(pattern))
        assert view_class is not None, f"accounts route {pattern.pattern} is no class-based view"
        assert pattern.name, f"unnamed accounts route {pattern.pattern}"
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        for method in methods(view_class):
            found.add((name, method))
    assert own <= mounted, "a route of accounts.urls is not mounted"
    return found


def test_every_accounts_route_has_a_row(world: World) -> None:
    found = _accountsroutes()
    listed = {(resolve(urlsplit(c.url(world)).path).view_name, c.method.upper()) for c in CASES}
    assert sorted(found - listed) == [], "routes without a row in CASES"
    assert sorted(listed - found) == [], "rows in CASES without an accounts route"
    assert len({c.name for c in CASES}) == len(CASES), "duplicate row names"
    assert all(set(c.expected) == set(ROLES) for c in CASES)
    assert not [k for k in KNOWN_BUGS if k[0] not in {c.name for c in CASES}]
