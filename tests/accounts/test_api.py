# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from rest_framework.test import APIClient

from accounts.audit import audit_log
from accounts.models import ApiToken
from accounts.models import AuditEntry
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.services import api_token_create
from accounts.services import api_token_revoke
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_me_shows_the_users_roles(people: People, org: Org, api_client_for) -> None:  # type: ignore[no-untyped-def]
    body = api_client_for(people.editor).get("/api/v1/users/me/").json()
    assert body["email"] == people.editor.email
    assert body["roles"] == [{"unit": org.press.pk, "unit_name": "Presseamt", "role": "editor"}]


def _patch_me(api_client_for, people: People):  # type: ignore[no-untyped-def]
    api = api_client_for(people.editor)
    return api.patch("/api/v1/users/me/", {"language": "en", "email": "x@y.z"}, format="json")


def test_me_updates_the_language(people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    assert _patch_me(api_client_for, people).status_code == 200
    people.editor.refresh_from_db()
    assert people.editor.language == "en"


def test_me_keeps_the_email_read_only(people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    _patch_me(api_client_for, people)
    people.editor.refresh_from_db()
    assert people.editor.email == "editor@stadt.example"  # read-only


def test_an_update_through_the_api_is_audited_with_the_token(
    people: People, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    _patch_me(api_client_for, people)
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


def _create_unit(api_client_for, people: People, org: Org):  # type: ignore[no-untyped-def]
    return api_client_for(people.system_admin).post(
        "/api/v1/units/",
        {"name": "Ordnungsamt", "kind": "department", "parent": org.city.pk},
        format="json",
    )


def test_system_admin_creates_a_unit_below_its_parent(
    people: People, org: Org, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    response = _create_unit(api_client_for, people, org)
    assert response.status_code == 201, response.json()
    created = OrgUnit.objects.get(pk=response.json()["id"])
    assert created.path == f"{org.city.path}{created.pk}/"


def test_a_unit_created_through_the_api_is_audited(
    people: People, org: Org, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    created = OrgUnit.objects.get(pk=_create_unit(api_client_for, people, org).json()["id"])
    assert AuditEntry.objects.filter(action="accounts.unit.created", unit=created).exists()


def test_a_unit_cannot_move_below_its_own_sub_unit(
    people: People, org: Org, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(people.system_admin)
    response = api.patch(f"/api/v1/units/{org.press.pk}/", {"parent": org.social.pk}, format="json")
    assert response.status_code == 400


def test_a_unit_moves_below_another_with_its_path(people: People, org: Org, api_client_for) -> None:  # type: ignore[no-untyped-def]
    created = OrgUnit.objects.get(pk=_create_unit(api_client_for, people, org).json()["id"])
    api = api_client_for(people.system_admin)
    response = api.patch(f"/api/v1/units/{org.social.pk}/", {"parent": created.pk}, format="json")
    assert response.status_code == 200
    assert OrgUnit.objects.get(pk=org.social.pk).path.startswith(created.path)


def test_a_second_unit_of_the_same_name_below_the_same_parent_is_refused(
    people: People, org: Org, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    _create_unit(api_client_for, people, org)
    duplicate = _create_unit(api_client_for, people, org)
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


@pytest.fixture
def logged(people: People, org: Org) -> None:
    audit_log(
        action="accounts.unit.updated", actor=people.system_admin, unit=org.press, target=org.press
    )
    audit_log(
        action="accounts.role.assigned", actor=people.editor, unit=org.social, target=people.editor
    )


def _audit_results(api_client_for, people: People, **filters: object) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    api = api_client_for(people.auditor)
    return api.get("/api/v1/audit-entries/", filters).json()["results"]


@pytest.mark.usefixtures("logged")
def test_audit_api_filters_by_action_prefix(people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    results = _audit_results(api_client_for, people, action="accounts.role")
    assert {r["action"] for r in results} == {"accounts.role.assigned"}


@pytest.mark.usefixtures("logged")
def test_audit_api_filters_by_unit(people: People, org: Org, api_client_for) -> None:  # type: ignore[no-untyped-def]
    results = _audit_results(api_client_for, people, unit=org.press.pk)
    assert "accounts.unit.updated" in {r["action"] for r in results}
    assert {r["unit"] for r in results} == {org.press.pk}
    assert all(r["description"] for r in results)


@pytest.mark.usefixtures("logged")
def test_audit_api_filters_by_target(people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    results = _audit_results(
        api_client_for, people, target_type="accounts.user", target_id=people.editor.pk
    )
    assert {r["action"] for r in results} == {"accounts.role.assigned"}
    assert len(results) == 2  # the fixture's assignment and the one above


@pytest.mark.usefixtures("logged")
def test_audit_api_filters_by_actor(people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    results = _audit_results(api_client_for, people, actor=people.system_admin.pk)
    assert [r["action"] for r in results] == ["accounts.unit.updated"]


def test_audit_api_names_the_hash_key_of_each_entry(
    people: People, org: Org, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    entry = audit_log(action="accounts.unit.updated", unit=org.press, target=org.press)
    results = _audit_results(api_client_for, people, action="accounts.unit.updated")
    assert results[0]["key_id"] == entry.key_id != ""


def test_audit_api_refuses_a_date_it_cannot_read(people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    bad = api_client_for(people.auditor).get("/api/v1/audit-entries/", {"since": "yesterday"})
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


def _bearer(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def test_a_token_key_is_stored_only_as_a_digest(people: People) -> None:
    created = api_token_create(user=people.editor, name="Intranet")
    stored = ApiToken.objects.get(pk=created.token.pk)
    assert created.key.startswith("spr_")
    assert created.key not in (stored.key_digest, stored.prefix)


def test_a_token_key_is_not_in_the_audit_log(people: People) -> None:
    created = api_token_create(user=people.editor, name="Intranet")
    assert created.key not in str(
        AuditEntry.objects.filter(action="accounts.api_token.created").get().data
    )


def test_a_token_authenticates_and_its_use_is_recorded(people: People) -> None:
    created = api_token_create(user=people.editor, name="Intranet")
    assert _bearer(created.key).get("/api/v1/users/me/").status_code == 200
    created.token.refresh_from_db()
    assert created.token.last_used_at is not None


def test_a_revoked_token_is_refused(people: People) -> None:
    created = api_token_create(user=people.editor, name="Intranet")
    api = _bearer(created.key)
    api_token_revoke(actor=people.editor, token=ApiToken.objects.get(pk=created.token.pk))
    assert api.get("/api/v1/users/me/").status_code == 401


@pytest.mark.parametrize("key", ["spr_made-up", "a b"])
def test_an_unknown_or_malformed_token_is_refused(key: str) -> None:
    assert _bearer(key).get("/api/v1/users/me/").status_code == 401


def _create_in_the_ui(people: People) -> tuple[Client, HttpResponse]:
    browser = login(Client(), people.editor)
    return browser, browser.post("/accounts/tokens/", {"name": "Dashboard"})


def test_a_new_token_key_is_shown_once_and_not_cached(people: People) -> None:
    _browser, response = _create_in_the_ui(people)
    key = response.context["created"].key
    assert key in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_the_profile_lists_a_token_by_name_without_its_key(people: People) -> None:
    browser, response = _create_in_the_ui(people)
    key = response.context["created"].key
    profile = browser.get("/accounts/profile/").content.decode()
    assert key not in profile
    assert "Dashboard" in profile


def test_another_user_cannot_revoke_a_token(people: People) -> None:
    _create_in_the_ui(people)
    token = ApiToken.objects.get(name="Dashboard")
    other = login(Client(), people.approver)
    assert other.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404


def test_the_owner_revokes_a_token_in_the_ui(people: People) -> None:
    browser, _response = _create_in_the_ui(people)
    token = ApiToken.objects.get(name="Dashboard")
    browser.post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_without_a_name_shows_the_error(people: People) -> None:
    response = login(Client(), people.editor).post("/accounts/tokens/", {"name": ""})
    assert response.status_code == 200
    assert response.context["token_form"].errors["name"]


def test_the_openapi_schema_lists_the_account_endpoints(people: People) -> None:
    client = login(Client(), people.editor)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/v1/users/me/", "/api/v1/units/", "/api/v1/audit-entries/"):
        assert path in paths


def test_the_api_docs_load_their_assets_from_our_server(people: People) -> None:
    docs = login(Client(), people.editor).get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()
