from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.audit import audit_log
from accounts.models import ApiToken, AuditEntry, OrgUnit, Role
from accounts.services import api_token_create, api_token_revoke
from tests.conftest import Org, People, login

pytestmark = pytest.mark.django_db


def test_me_shows_roles_and_updates_language(people: People, org: Org, api_client_for) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(people.editor)
    body = api.get("/api/v1/users/me/").json()
    assert body["email"] == people.editor.email
    assert body["roles"] == [{"unit": org.press.pk, "unit_name": "Presseamt", "role": "editor"}]
    response = api.patch("/api/v1/users/me/", {"language": "en", "email": "x@y.z"}, format="json")
    assert response.status_code == 200
    people.editor.refresh_from_db()
    assert people.editor.language == "en"
    assert people.editor.email == "editor@stadt.example"  # read-only
    entry = AuditEntry.objects.get(action="accounts.user.updated")
    assert entry.actor_token is not None and entry.actor_token.user == people.editor


def test_invalid_language_is_a_clear_400(people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.editor).patch(
        "/api/v1/users/me/", {"language": "xx"}, format="json"
    )
    assert response.status_code == 400
    assert "language" in response.json()


def test_units_are_filtered_to_the_users_subtree(people: People, org: Org, api_client_for) -> None:  # type: ignore[no-untyped-def]
    names = [
        u["name"] for u in api_client_for(people.editor).get("/api/v1/units/").json()["results"]
    ]
    assert names == ["Presseamt", "Social-Media-Team"]
    names = [
        u["name"] for u in api_client_for(people.auditor).get("/api/v1/units/").json()["results"]
    ]
    assert names == ["Stadt Musterstadt", "Presseamt", "Social-Media-Team"]


def test_system_admin_creates_and_moves_units_through_the_api(
    people: People, org: Org, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(people.system_admin)
    response = api.post(
        "/api/v1/units/",
        {"name": "Ordnungsamt", "kind": "department", "parent": org.city.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    created = OrgUnit.objects.get(pk=response.json()["id"])
    assert created.path == f"{org.city.path}{created.pk}/"
    assert AuditEntry.objects.filter(action="accounts.unit.created", unit=created).exists()

    response = api.patch(f"/api/v1/units/{org.press.pk}/", {"parent": org.social.pk}, format="json")
    assert response.status_code == 400
    response = api.patch(f"/api/v1/units/{org.social.pk}/", {"parent": created.pk}, format="json")
    assert response.status_code == 200
    assert OrgUnit.objects.get(pk=org.social.pk).path.startswith(created.path)

    duplicate = api.post(
        "/api/v1/units/",
        {"name": "Ordnungsamt", "kind": "department", "parent": org.city.pk},
        format="json",
    )
    assert duplicate.status_code == 400


def test_only_an_authority_wide_admin_creates_top_level_units(
    people: People, org: Org, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    press_admin = UserFactory(roles=[(org.press, Role.SYSTEM_ADMIN)])
    login(Client(), press_admin)  # sets up the admin's second factor
    response = api_client_for(press_admin).post(
        "/api/v1/units/", {"name": "Landkreis", "kind": "authority", "parent": None}, format="json"
    )
    assert response.status_code == 400
    response = api_client_for(people.system_admin).post(
        "/api/v1/units/", {"name": "Landkreis", "kind": "authority", "parent": None}, format="json"
    )
    assert response.status_code == 201


def test_audit_api_filters(people: People, org: Org, api_client_for) -> None:  # type: ignore[no-untyped-def]
    audit_log(
        action="accounts.unit.updated", actor=people.system_admin, unit=org.press, target=org.press
    )
    audit_log(
        action="accounts.role.assigned", actor=people.editor, unit=org.social, target=people.editor
    )
    api = api_client_for(people.auditor)
    results = api.get("/api/v1/audit-entries/", {"action": "accounts.role"}).json()["results"]
    assert {r["action"] for r in results} == {"accounts.role.assigned"}
    results = api.get("/api/v1/audit-entries/", {"unit": org.press.pk}).json()["results"]
    assert "accounts.unit.updated" in {r["action"] for r in results}
    assert {r["unit"] for r in results} == {org.press.pk}
    assert all(r["description"] for r in results)
    results = api.get(
        "/api/v1/audit-entries/", {"target_type": "accounts.user", "target_id": people.editor.pk}
    ).json()["results"]
    assert {r["action"] for r in results} == {"accounts.role.assigned"}
    assert len(results) == 2  # the fixture's assignment and the one above
    results = api.get("/api/v1/audit-entries/", {"actor": people.system_admin.pk}).json()["results"]
    assert [r["action"] for r in results] == ["accounts.unit.updated"]
    bad = api.get("/api/v1/audit-entries/", {"since": "yesterday"})
    assert bad.status_code == 400


def test_audit_api_is_read_only(people: People, org: Org, api_client_for) -> None:  # type: ignore[no-untyped-def]
    entry = audit_log(action="accounts.unit.updated", unit=org.press)
    api = api_client_for(people.system_admin)
    for method in ("put", "patch", "delete"):
        response = getattr(api, method)(
            f"/api/v1/audit-entries/{entry.sequence}/", {}, format="json"
        )
        assert response.status_code == 405
    assert api.post("/api/v1/audit-entries/", {}, format="json").status_code == 405


def test_tokens_are_stored_as_digests_and_revocable(people: People) -> None:
    created = api_token_create(user=people.editor, name="Intranet")
    stored = ApiToken.objects.get(pk=created.token.pk)
    assert created.key.startswith("spr_")
    assert created.key not in (stored.key_digest, stored.prefix)
    assert created.key not in str(
        AuditEntry.objects.filter(action="accounts.api_token.created").get().data
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {created.key}")
    assert api.get("/api/v1/users/me/").status_code == 200
    stored.refresh_from_db()
    assert stored.last_used_at is not None
    api_token_revoke(actor=people.editor, token=stored)
    assert api.get("/api/v1/users/me/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Bearer spr_made-up")
    assert api.get("/api/v1/users/me/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Bearer a b")
    assert api.get("/api/v1/users/me/").status_code == 401


def test_token_key_is_shown_once_in_the_ui_and_revoked_there(people: People) -> None:
    browser = login(Client(), people.editor)
    response = browser.post("/accounts/tokens/", {"name": "Dashboard"})
    key = response.context["created"].key
    assert key in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    profile = browser.get("/accounts/profile/").content.decode()
    assert key not in profile
    assert "Dashboard" in profile
    token = ApiToken.objects.get(name="Dashboard")
    other = login(Client(), people.approver)
    assert other.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    browser.post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_without_a_name_shows_the_error(people: People) -> None:
    response = login(Client(), people.editor).post("/accounts/tokens/", {"name": ""})
    assert response.status_code == 200
    assert response.context["token_form"].errors["name"]


def test_openapi_schema_and_local_docs(people: People) -> None:
    client = login(Client(), people.editor)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/v1/users/me/", "/api/v1/units/", "/api/v1/audit-entries/"):
        assert path in paths
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()
