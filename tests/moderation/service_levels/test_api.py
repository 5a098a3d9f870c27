# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""API of the service levels: settings per unit (GET/PATCH), report, storm alerts."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import AuditEntry
from moderation.models import ModerationSettings
from tests.conftest import de
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _url(unit) -> str:  # type: ignore[no-untyped-def]
    return reverse("service_levels_api:settings", args=[unit.pk])


def test_get_shows_the_defaults(api_client_for, people, org) -> None:
    data = api_client_for(people.auditor).get(_url(org.press)).json()
    assert data["first_response_minutes"] == 240
    assert data["service_hours"]["0"] == [["08:00", "16:00"]]
    assert (data["inherited_from"], data["own_fields"]) == ({}, [])


def test_get_shows_where_settings_are_inherited_from(api_client_for, people, org) -> None:
    ModerationSettings.objects.create(unit=org.city, first_response_minutes=60)
    ModerationSettings.objects.create(unit=org.social, retention_days=30)
    data = api_client_for(people.auditor).get(_url(org.social)).json()
    assert data["first_response_minutes"] == 60
    assert (data["inherited_from"], data["own_fields"]) == (
        {"first_response_minutes": org.city.pk},
        ["retention_days"],
    )


def test_community_manager_patches_service_levels(api_client_for, people, org) -> None:
    response = api_client_for(people.community_manager).patch(
        _url(org.press),
        {"first_response_minutes": 90, "service_hours": {"1": [["09:00", "12:00"]]}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    settings = ModerationSettings.objects.get(unit=org.press)
    assert (settings.first_response_minutes, settings.service_hours) == (
        90,
        {"1": [["09:00", "12:00"]]},
    )
    assert AuditEntry.objects.filter(action="moderation.service_levels.updated").exists()


def test_patch_keeps_inherited_values(api_client_for, people, org) -> None:
    ModerationSettings.objects.create(unit=org.city, next_response_minutes=99)
    data = (
        api_client_for(people.community_manager)
        .patch(_url(org.press), {"first_response_minutes": 90}, format="json")
        .json()
    )
    assert (data["next_response_minutes"], data["inherited_from"]) == (
        99,
        {"next_response_minutes": org.city.pk},
    )


def test_patch_with_null_follows_the_unit_above_again(api_client_for, people, org) -> None:
    ModerationSettings.objects.create(unit=org.city, first_response_minutes=60)
    ModerationSettings.objects.create(unit=org.press, first_response_minutes=90)
    data = (
        api_client_for(people.community_manager)
        .patch(_url(org.press), {"first_response_minutes": None}, format="json")
        .json()
    )
    assert data["first_response_minutes"] == 60


def test_overlapping_service_hours_are_refused(api_client_for, people, org) -> None:
    response = api_client_for(people.community_manager).patch(
        _url(org.press),
        {"service_hours": {"0": [["08:00", "12:00"], ["11:00", "13:00"]]}},
        format="json",
    )
    assert response.status_code == 400
    refusal = de("%(day)s: the ranges overlap; join them into one.") % {"day": de("Monday")}
    assert response.json() == {"service_hours": [refusal]}


def test_community_manager_may_not_change_retention(api_client_for, people, org) -> None:
    response = api_client_for(people.community_manager).patch(
        _url(org.press), {"retention_days": 10}, format="json"
    )
    assert response.status_code == 403
    assert not ModerationSettings.objects.filter(unit=org.press).exists()


def test_system_admin_changes_retention(api_client_for, people, org) -> None:
    response = api_client_for(people.system_admin).patch(
        _url(org.press), {"retention_days": 30, "employee_figures": True}, format="json"
    )
    assert response.status_code == 200
    assert ModerationSettings.objects.get(unit=org.press).retention_days == 30
    assert AuditEntry.objects.filter(action="moderation.privacy.settings_updated").exists()


def test_system_admin_may_not_change_service_levels(api_client_for, people, org) -> None:
    response = api_client_for(people.system_admin).patch(
        _url(org.press), {"first_response_minutes": 1}, format="json"
    )
    assert response.status_code == 403


def test_auditor_may_not_patch(api_client_for, people, org) -> None:
    response = api_client_for(people.auditor).patch(
        _url(org.press), {"first_response_minutes": 1}, format="json"
    )
    assert response.status_code == 403


def test_other_authority_gets_404(api_client_for, people, org) -> None:
    assert api_client_for(people.outsider).get(_url(org.press)).status_code == 404
    response = api_client_for(people.outsider).patch(
        _url(org.press), {"first_response_minutes": 1}, format="json"
    )
    assert response.status_code == 404


def test_anonymous_is_refused(client, org) -> None:
    assert client.get(_url(org.press)).status_code in (401, 403)


def test_report(api_client_for, people, org) -> None:
    response = api_client_for(people.auditor).get(
        reverse("service_levels_api:report"),
        {"unit": org.press.pk, "start": "2026-12-01", "end": "2026-12-31"},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["total"]["total"] == 0
    assert data["employees"] is None
    assert {row["label"] for row in data["channels"]} == {"Stadt Mastodon", "Bürgerservice"}


def test_report_of_another_authority_is_404(api_client_for, people, org) -> None:
    response = api_client_for(people.community_manager).get(
        reverse("service_levels_api:report"),
        {"unit": org.police.pk, "start": "2026-12-01", "end": "2026-12-31"},
    )
    assert response.status_code == 404


def test_endpoints_are_in_the_schema(client_for, people) -> None:
    response = client_for(people.auditor).get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = response.json()["paths"]
    assert {"get", "patch"} <= set(paths["/api/v1/moderation-settings/{unit_id}/"])
    assert "get" in paths["/api/v1/service-level-report/"]
    assert "get" in paths["/api/v1/storm-alerts/"]


def test_criminal_unit_of_another_authority_is_unknown(api_client_for, people, org) -> None:
    response = api_client_for(people.system_admin).patch(
        _url(org.press), {"criminal_unit": org.police.pk}, format="json"
    )
    assert response.status_code == 400
    assert not ModerationSettings.objects.filter(unit=org.press).exists()


def test_report_names_the_channels_counted_per_employee(api_client_for, people, org) -> None:
    ModerationSettings.objects.create(unit=org.press, employee_figures=True)
    ModerationSettings.objects.create(unit=org.social, employee_figures=False)
    data = (
        api_client_for(people.auditor)
        .get(
            reverse("service_levels_api:report"),
            {"unit": org.press.pk, "start": "2026-12-01", "end": "2026-12-02"},
        )
        .json()
    )
    assert (data["employees"], data["employee_channels"]) == ([], [org.press_channel.pk])
