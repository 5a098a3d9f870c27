# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""API of data-subject requests."""

from __future__ import annotations

from django.urls import reverse

from moderation.models import DataSubjectRequest
from moderation.models import InboxItem
from moderation.privacy.services import data_subject_request_create
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _request(org, people, trail, kind=DataSubjectRequest.Kind.ERASURE):  # type: ignore[no-untyped-def]
    return data_subject_request_create(
        actor=people.community_manager, unit=org.press, kind=kind, authors=[trail.author]
    )


def test_search(api_client_for, people, org, trail) -> None:
    response = api_client_for(people.community_manager).get(
        reverse("privacy_api:request-search"), {"unit": org.press.pk, "q": "erika"}
    )
    assert response.status_code == 200
    assert [a["id"] for a in response.json()] == [trail.author.pk]


def test_search_in_another_authoritys_unit_is_404(api_client_for, people, org) -> None:
    response = api_client_for(people.community_manager).get(
        reverse("privacy_api:request-search"), {"unit": org.police.pk, "q": "erika"}
    )
    assert response.status_code == 404


def test_create_a_request(api_client_for, people, org, trail) -> None:
    response = api_client_for(people.community_manager).post(
        reverse("privacy_api:request-list"),
        {"unit": org.press.pk, "kind": "access", "authors": [trail.author.pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert DataSubjectRequest.objects.get().authors.get() == trail.author


def test_create_refuses_an_author_of_another_authority(api_client_for, people, org) -> None:
    from tests.moderation.factories import AuthorFactory

    stranger = AuthorFactory(channel=org.police_channel)
    response = api_client_for(people.community_manager).post(
        reverse("privacy_api:request-list"),
        {"unit": org.press.pk, "kind": "access", "authors": [stranger.pk]},
        format="json",
    )
    assert response.status_code == 400


def test_auditor_may_not_create(api_client_for, people, org, trail) -> None:
    response = api_client_for(people.auditor).post(
        reverse("privacy_api:request-list"),
        {"unit": org.press.pk, "kind": "access", "authors": [trail.author.pk]},
        format="json",
    )
    assert response.status_code == 403


def test_export(api_client_for, people, org, trail) -> None:
    subject_request = _request(org, people, trail, DataSubjectRequest.Kind.ACCESS)
    response = api_client_for(people.system_admin).post(
        reverse("privacy_api:request-export", args=[subject_request.pk])
    )
    assert response.status_code == 200
    assert response.json()["summary"]["evidence"] == 1


def test_erase(api_client_for, people, org, trail) -> None:
    subject_request = _request(org, people, trail)
    response = api_client_for(people.community_manager).post(
        reverse("privacy_api:request-erase", args=[subject_request.pk]),
        {"confirm": True},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["summary"]["erasure"]["items"] == 2
    assert InboxItem.objects.get(pk=trail.items[0].pk).erased_at is not None


def test_erasing_an_access_request_is_a_conflict(api_client_for, people, org, trail) -> None:
    subject_request = _request(org, people, trail, DataSubjectRequest.Kind.ACCESS)
    response = api_client_for(people.community_manager).post(
        reverse("privacy_api:request-erase", args=[subject_request.pk]),
        {"confirm": True},
        format="json",
    )
    assert response.status_code == 409


def test_auditor_reads_but_may_not_erase(api_client_for, people, org, trail) -> None:
    subject_request = _request(org, people, trail)
    client = api_client_for(people.auditor)
    detail = reverse("privacy_api:request-detail", args=[subject_request.pk])
    assert client.get(detail).status_code == 200
    erase = reverse("privacy_api:request-erase", args=[subject_request.pk])
    assert client.post(erase).status_code == 403


def test_other_authority_gets_404(api_client_for, people, org, trail) -> None:
    subject_request = _request(org, people, trail)
    client = api_client_for(people.outsider)
    assert (
        client.get(reverse("privacy_api:request-detail", args=[subject_request.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("privacy_api:request-erase", args=[subject_request.pk])).status_code
        == 404
    )
    assert client.get(reverse("privacy_api:request-list")).json()["results"] == []


def test_anonymous_is_refused(client) -> None:
    assert client.get(reverse("privacy_api:request-list")).status_code in (401, 403)


def test_endpoints_are_in_the_schema(client_for, people) -> None:
    response = client_for(people.auditor).get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = response.json()["paths"]
    for path in (
        "/api/v1/data-subject-requests/",
        "/api/v1/data-subject-requests/search/",
        "/api/v1/data-subject-requests/{id}/",
        "/api/v1/data-subject-requests/{id}/export/",
        "/api/v1/data-subject-requests/{id}/erase/",
    ):
        assert path in paths, path


def test_erasing_needs_an_explicit_confirmation(api_client_for, people, org, trail) -> None:
    subject_request = _request(org, people, trail)
    response = api_client_for(people.community_manager).post(
        reverse("privacy_api:request-erase", args=[subject_request.pk]), {}, format="json"
    )
    assert response.status_code == 400
    assert InboxItem.objects.get(pk=trail.items[0].pk).erased_at is None


def test_a_request_shows_its_due_date(api_client_for, people, org, trail) -> None:
    from datetime import date

    subject_request = data_subject_request_create(
        actor=people.community_manager,
        unit=org.press,
        kind=DataSubjectRequest.Kind.ACCESS,
        authors=[trail.author],
        received_on=date(2026, 11, 10),
    )
    data = (
        api_client_for(people.auditor)
        .get(reverse("privacy_api:request-detail", args=[subject_request.pk]))
        .json()
    )
    assert (data["received_on"], data["due_on"]) == ("2026-11-10", "2026-12-10")


def test_create_with_the_day_received(api_client_for, people, org, trail) -> None:
    response = api_client_for(people.community_manager).post(
        reverse("privacy_api:request-list"),
        {
            "unit": org.press.pk,
            "kind": "access",
            "authors": [trail.author.pk],
            "received_on": "2026-11-10",
        },
        format="json",
    )
    assert response.json()["due_on"] == "2026-12-10"


def test_retention_periods_are_capped(api_client_for, people, org) -> None:
    response = api_client_for(people.system_admin).patch(
        reverse("service_levels_api:settings", args=[org.press.pk]),
        {"retention_days": 3651},
        format="json",
    )
    assert response.status_code == 400
