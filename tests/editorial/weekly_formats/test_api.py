# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The weekly formats API: create (planned at once), change, pause and resume through
``paused``, delete; ISO times; editors of the unit only."""

from __future__ import annotations

from datetime import time

from rest_framework.test import APIClient

from accounts.models import AuditEntry
from accounts.models import Role
from editorial.models import CalendarSlot
from editorial.models import WeeklyFormat
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

URL = "/api/v1/weekly-formats/"


def test_an_editor_creates_a_format(org: Org, people: People) -> None:
    client = login(APIClient(), people.editor)
    response = client.post(
        URL,
        {
            "unit": org.press.pk,
            "title": "Service-Tipp",
            "weekday": 2,
            "time": "11:00",
            "channels": [org.press_channel.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["time"], body["paused"], body["channels"]) == (
        "11:00",
        False,
        [org.press_channel.pk],
    )
    assert WeeklyFormat.objects.get(pk=body["id"]).slots.exists()


def test_patch_pauses_and_resumes(org: Org, people: People) -> None:
    client = login(APIClient(), people.editor)
    created = client.post(
        URL, {"unit": org.press.pk, "title": "Tipp", "weekday": 4, "time": "12:00"}, format="json"
    ).json()
    paused = client.patch(f"{URL}{created['id']}/", {"paused": True}, format="json")
    assert paused.json()["paused"] is True
    assert not WeeklyFormat.objects.get(pk=created["id"]).slots.exists()
    resumed = client.patch(f"{URL}{created['id']}/", {"paused": False}, format="json")
    assert resumed.json()["paused"] is False


def test_patch_changes_the_time(org: Org, people: People) -> None:
    client = login(APIClient(), people.editor)
    created = client.post(
        URL, {"unit": org.press.pk, "title": "Tipp", "weekday": 4, "time": "12:00"}, format="json"
    ).json()
    client.patch(f"{URL}{created['id']}/", {"time": "13:15"}, format="json")
    assert WeeklyFormat.objects.get(pk=created["id"]).time == time(13, 15)


def test_a_time_not_in_iso_form_is_refused(org: Org, people: People) -> None:
    client = login(APIClient(), people.editor)
    response = client.post(
        URL, {"unit": org.press.pk, "title": "Tipp", "weekday": 4, "time": "noon"}, format="json"
    )
    assert response.status_code == 400
    assert "time" in response.json()


def test_a_community_manager_may_not_use_it(people: People) -> None:
    assert login(APIClient(), people.community_manager).get(URL).status_code == 403


def test_delete_removes_the_format_and_its_coming_slots(org: Org, people: People) -> None:
    client = login(APIClient(), people.editor)
    created = client.post(
        URL, {"unit": org.press.pk, "title": "Tipp", "weekday": 4, "time": "12:00"}, format="json"
    ).json()
    response = client.delete(f"{URL}{created['id']}/")
    assert response.status_code == 204
    assert not WeeklyFormat.objects.filter(pk=created["id"]).exists()
    assert not CalendarSlot.objects.filter(unit=org.press, title="Tipp").exists()
    assert AuditEntry.objects.filter(action="editorial.weekly_format.deleted").count() == 1


def test_another_authoritys_editor_may_not_delete(org: Org, people: People) -> None:
    client = login(APIClient(), people.editor)
    created = client.post(
        URL, {"unit": org.press.pk, "title": "Tipp", "weekday": 4, "time": "12:00"}, format="json"
    ).json()
    police = UserFactory(email="editor@polizei.example", roles=[(org.police_press, Role.EDITOR)])
    assert login(APIClient(), police).delete(f"{URL}{created['id']}/").status_code == 404
    weekly_format = WeeklyFormat.objects.get(pk=created["id"])
    assert weekly_format.slots.exists()
