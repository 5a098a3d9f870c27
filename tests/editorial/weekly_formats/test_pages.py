# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The weekly format pages: list, create (ISO time, weekday), edit, pause and resume; the
calendar shows the coming weeks' slots of a format."""

from __future__ import annotations

from datetime import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from editorial.models import CalendarSlot
from editorial.models import WeeklyFormat
from editorial.weekly_formats.services import weekly_format_create
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import de
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@pytest.fixture
def preview(org: Org, people: People) -> WeeklyFormat:
    return weekly_format_create(
        actor=people.editor, unit=org.press, title="Wochenvorschau", weekday=0, time=time(9)
    )


def test_the_page_creates_a_format_and_plans_it(org: Org, people: People) -> None:
    client = login(Client(), people.editor)
    response = client.post(
        reverse("weekly_formats:create"),
        {"unit": org.press.pk, "title": "Service-Tipp", "weekday": "2", "time": "11:00"},
    )
    assert response.status_code == 302
    weekly_format = WeeklyFormat.objects.get(title="Service-Tipp")
    assert (weekly_format.weekday, weekly_format.time) == (2, time(11))
    assert weekly_format.slots.count() >= 5


def test_a_time_not_in_iso_form_is_refused(org: Org, people: People) -> None:
    client = login(Client(), people.editor)
    response = client.post(
        reverse("weekly_formats:create"),
        {"unit": org.press.pk, "title": "Service-Tipp", "weekday": "2", "time": "11 Uhr"},
    )
    assert response.status_code == 400
    assert not WeeklyFormat.objects.exists()


def test_the_list_shows_the_format_with_its_weekday(people: People, preview: WeeklyFormat) -> None:
    page = login(Client(), people.editor).get(reverse("weekly_formats:list"))
    assert preview.title in page.content.decode()
    assert de("Monday") in page.content.decode()


def test_the_edit_page_changes_the_format(org: Org, people: People, preview: WeeklyFormat) -> None:
    client = login(Client(), people.editor)
    page = client.get(reverse("weekly_formats:edit", args=[preview.pk]))
    assert page.status_code == 200
    form = page.context["form"]  # filled with what the format holds now
    assert (form["title"].value(), form["weekday"].value(), form["time"].value()) == (
        "Wochenvorschau",
        0,
        time(9),
    )
    assert form["unit"].value() == org.press.pk
    client.post(
        reverse("weekly_formats:edit", args=[preview.pk]),
        {"unit": org.press.pk, "title": "Wochenblick", "weekday": "0", "time": "08:30"},
    )
    preview.refresh_from_db()
    assert (preview.title, preview.time) == ("Wochenblick", time(8, 30))


def test_pause_and_resume_buttons(people: People, preview: WeeklyFormat) -> None:
    client = login(Client(), people.editor)
    client.post(reverse("weekly_formats:pause", args=[preview.pk]))
    preview.refresh_from_db()
    assert preview.is_paused and not preview.slots.exists()
    client.post(reverse("weekly_formats:resume", args=[preview.pk]))
    preview.refresh_from_db()
    assert not preview.is_paused and preview.slots.exists()


def test_the_calendar_shows_the_coming_weeks_slots(people: People, preview: WeeklyFormat) -> None:
    slot = preview.slots.order_by("-day").first()
    assert slot is not None and slot.day >= timezone.localdate() + timedelta(weeks=5)
    page = login(Client(), people.editor).get(
        reverse("planning:index"), {"view": "month", "date": slot.day.isoformat()}
    )
    assert page.status_code == 200
    assert preview.title in page.content.decode()


def test_another_authoritys_editor_does_not_see_the_format(org: Org, preview: WeeklyFormat) -> None:
    from accounts.models import Role
    from tests.factories import UserFactory

    police = UserFactory(email="editor@polizei.example", roles=[(org.police_press, Role.EDITOR)])
    client = login(Client(), police)
    assert preview.title not in client.get(reverse("weekly_formats:list")).content.decode()
    assert client.get(reverse("weekly_formats:edit", args=[preview.pk])).status_code == 404
    client.post(reverse("weekly_formats:pause", args=[preview.pk]))
    assert not WeeklyFormat.objects.get(pk=preview.pk).is_paused
    assert CalendarSlot.objects.filter(weekly_format=preview).exists()


def test_the_delete_page_asks_then_deletes(people: People, preview: WeeklyFormat) -> None:
    from accounts.models import AuditEntry

    client = login(Client(), people.editor)
    assert (
        reverse("weekly_formats:delete", args=[preview.pk])
        in client.get(reverse("weekly_formats:list")).content.decode()
    )
    page = client.get(reverse("weekly_formats:delete", args=[preview.pk]))
    assert page.status_code == 200
    assert preview.title in page.content.decode()
    assert WeeklyFormat.objects.filter(pk=preview.pk).exists()  # asking deletes nothing
    response = client.post(reverse("weekly_formats:delete", args=[preview.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("weekly_formats:list")
    assert not WeeklyFormat.objects.filter(pk=preview.pk).exists()
    assert not CalendarSlot.objects.filter(title=preview.title).exists()
    assert AuditEntry.objects.filter(action="editorial.weekly_format.deleted").count() == 1


def test_another_authoritys_editor_may_not_delete_the_format(
    org: Org, preview: WeeklyFormat
) -> None:
    from accounts.models import Role
    from tests.factories import UserFactory

    police = UserFactory(email="editor@polizei.example", roles=[(org.police_press, Role.EDITOR)])
    client = login(Client(), police)
    assert client.get(reverse("weekly_formats:delete", args=[preview.pk])).status_code == 404
    assert client.post(reverse("weekly_formats:delete", args=[preview.pk])).status_code == 404
    assert WeeklyFormat.objects.filter(pk=preview.pk).exists()
    assert CalendarSlot.objects.filter(weekly_format=preview).exists()


def test_the_redaktionsplan_links_to_the_weekly_formats(people: People) -> None:
    page = login(Client(), people.editor).get(reverse("planning:index"))
    assert page.status_code == 200
    assert f'href="{reverse("weekly_formats:list")}"' in page.content.decode()
