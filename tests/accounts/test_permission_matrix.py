"""Every view and API endpoint of the foundation, tried by each role, by a system admin and
auditor of another authority (the outsider) and anonymously. Objects of other units answer
404, endpoints a role may not use answer 403 (or a login redirect / 401 when anonymous)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.audit import audit_log
from accounts.models import Role
from tests.conftest import Org, People, login

pytestmark = pytest.mark.django_db

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


@dataclass(frozen=True)
class Case:
    name: str
    api: bool
    method: str
    url: Callable[[Org, People, int], str]
    expected: dict[str, int]
    data: Callable[[Org], dict[str, Any]] | None = None


def _all(status: int, **overrides: int) -> dict[str, int]:
    expected = dict.fromkeys(ROLES, status)
    expected.update(overrides)
    return expected


ANON_UI = 302
ANON_API = 401

CASES = [
    Case("dashboard", False, "get", lambda o, p, e: "/", _all(200, anonymous=ANON_UI)),
    Case(
        "profile", False, "get", lambda o, p, e: "/accounts/profile/", _all(200, anonymous=ANON_UI)
    ),
    Case(
        "notifications",
        False,
        "get",
        lambda o, p, e: "/accounts/notifications/",
        _all(200, anonymous=ANON_UI),
    ),
    Case(
        "user list",
        False,
        "get",
        lambda o, p, e: "/manage/users/",
        _all(403, system_admin=200, outsider=200, anonymous=ANON_UI),
    ),
    Case(
        "invite form",
        False,
        "get",
        lambda o, p, e: "/manage/users/invite/",
        _all(403, system_admin=200, outsider=200, anonymous=ANON_UI),
    ),
    Case(
        "user detail",
        False,
        "get",
        lambda o, p, e: f"/manage/users/{p.editor.pk}/",
        _all(403, system_admin=200, outsider=404, anonymous=ANON_UI),
    ),
    Case(
        "assign role",
        False,
        "post",
        lambda o, p, e: f"/manage/users/{p.editor.pk}/",
        _all(403, system_admin=302, outsider=404, anonymous=ANON_UI),
        data=lambda o: {"action": "assign_role", "unit": o.social.pk, "role": Role.APPROVER},
    ),
    Case(
        "deactivate user",
        False,
        "post",
        lambda o, p, e: f"/manage/users/{p.approver.pk}/",
        _all(403, system_admin=302, outsider=404, anonymous=ANON_UI),
        data=lambda o: {"action": "deactivate"},
    ),
    Case(
        "unit list",
        False,
        "get",
        lambda o, p, e: "/manage/units/",
        _all(403, system_admin=200, outsider=200, anonymous=ANON_UI),
    ),
    Case(
        "unit edit",
        False,
        "get",
        lambda o, p, e: f"/manage/units/{o.press.pk}/",
        _all(403, system_admin=200, outsider=404, anonymous=ANON_UI),
    ),
    Case(
        "unit create",
        False,
        "post",
        lambda o, p, e: "/manage/units/new/",
        _all(403, system_admin=302, outsider=200, anonymous=ANON_UI),  # outsider: invalid parent
        data=lambda o: {"name": "Neues Amt", "kind": "department", "parent": o.press.pk},
    ),
    Case(
        "audit page",
        False,
        "get",
        lambda o, p, e: "/audit/",
        _all(403, auditor=200, system_admin=200, outsider=200, anonymous=ANON_UI),
    ),
    Case(
        "audit csv",
        False,
        "get",
        lambda o, p, e: "/audit/?format=csv",
        _all(403, auditor=200, system_admin=200, outsider=200, anonymous=ANON_UI),
    ),
    Case("api me", True, "get", lambda o, p, e: "/api/v1/users/me/", _all(200, anonymous=ANON_API)),
    Case(
        "api me update",
        True,
        "patch",
        lambda o, p, e: "/api/v1/users/me/",
        _all(200, anonymous=ANON_API),
        data=lambda o: {"language": "en"},
    ),
    Case("api units", True, "get", lambda o, p, e: "/api/v1/units/", _all(200, anonymous=ANON_API)),
    Case(
        "api unit detail",
        True,
        "get",
        lambda o, p, e: f"/api/v1/units/{o.press.pk}/",
        _all(200, outsider=404, anonymous=ANON_API),
    ),
    Case(
        "api unit update",
        True,
        "patch",
        lambda o, p, e: f"/api/v1/units/{o.press.pk}/",
        _all(403, system_admin=200, outsider=404, anonymous=ANON_API),
        data=lambda o: {"name": "Presse- und Informationsamt"},
    ),
    Case(
        "api unit create",
        True,
        "post",
        lambda o, p, e: "/api/v1/units/",
        _all(403, system_admin=201, outsider=400, anonymous=ANON_API),
        data=lambda o: {"name": "Neues Amt", "kind": "department", "parent": o.press.pk},
    ),
    Case(
        "api audit list",
        True,
        "get",
        lambda o, p, e: "/api/v1/audit-entries/",
        _all(403, auditor=200, system_admin=200, outsider=200, anonymous=ANON_API),
    ),
    Case(
        "api audit detail",
        True,
        "get",
        lambda o, p, e: f"/api/v1/audit-entries/{e}/",
        _all(403, auditor=200, system_admin=200, outsider=404, anonymous=ANON_API),
    ),
]


def _client(case: Case, people: People, role: str) -> Client:
    client: Client = APIClient() if case.api else Client()
    if role != "anonymous":
        login(client, getattr(people, role))
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_permission_matrix(case: Case, role: str, org: Org, people: People) -> None:
    city_entry = audit_log(action="accounts.unit.updated", unit=org.press, target=org.press)
    client = _client(case, people, role)
    kwargs: dict[str, Any] = {}
    if case.data is not None:
        kwargs["data"] = case.data(org)
        if case.api:
            kwargs["format"] = "json"
    response = getattr(client, case.method)(case.url(org, people, city_entry.sequence), **kwargs)
    expected = case.expected[role]
    assert response.status_code == expected, (case.name, role, response.status_code)
    if expected == ANON_UI and role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


def test_outsider_lists_contain_nothing_of_the_other_authority(org: Org, people: People) -> None:
    audit_log(action="accounts.unit.updated", unit=org.press, target=org.press)
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


def test_department_auditor_sees_only_their_subtree(org: Org, people: People) -> None:
    from tests.factories import UserFactory

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
