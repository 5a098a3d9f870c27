"""Post templates with placeholders, and recurring posts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from accounts.models import AuditEntry, Role
from editorial.common.placeholders import template_placeholders, template_render
from editorial.common.timeutil import BERLIN
from editorial.models import Approval, Post, PostTemplate, Recurrence
from editorial.post_templates.api import PostRecurrenceView
from editorial.post_templates.recurrence import (
    HORIZON,
    post_make_recurring,
    recurrence_carry_approval,
    recurrence_occurrences,
    recurrence_stop,
)
from editorial.post_templates.services import (
    post_from_template,
    post_template_create,
    post_template_update,
)
from editorial.post_templates.tasks import extend_recurring_series
from editorial.posts.services import post_approve, post_create, post_submit, post_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=BERLIN)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def actions(target: Model) -> list[str]:
    entries = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    )
    return list(entries.order_by("sequence").values_list("action", flat=True))


@pytest.fixture
def template(org, people) -> PostTemplate:  # type: ignore[no-untyped-def]
    return post_template_create(
        actor=people.editor,
        unit=org.press,
        name="Straßensperrung",
        kind=PostTemplate.Kind.ROAD_CLOSURE,
        title="Sperrung {ort}",
        text="Am {datum} ab {uhrzeit} ist die {ort} gesperrt. Umleitung über {umleitung}.",
        website_link="https://stadt.example/verkehr",
        channels=[org.press_channel],
    )


@pytest.fixture
def police_editor(org):  # type: ignore[no-untyped-def]
    return UserFactory(email="editor@polizei.example", roles=[(org.police_press, Role.EDITOR)])


VALUES = {"ort": "Hauptstraße", "datum": "3. März", "uhrzeit": "9 Uhr", "umleitung": "Ring"}


# --- Placeholders ---------------------------------------------------------------------------


def test_placeholders_with_umlauts_repeats_and_escaped_braces() -> None:
    text = "{ort}: {Straße} am {datum} {uhrzeit_2} {{kein}} {ort} {über} }}"
    assert template_placeholders(text) == ["ort", "Straße", "datum", "uhrzeit_2", "über"]


def test_escaped_braces_render_as_literal_braces() -> None:
    assert template_render("{{ort}} {ort} {{{ort}}} }} {{", {"ort": "Markt"}) == (
        "{ort} Markt {Markt} } {"
    )


def test_format_string_injection_is_plain_text() -> None:
    text = "{0.__class__} {ort.__init__} {} {a b} {ort!r} {ort:>10} {ort[0]}"
    assert template_placeholders(text) == []
    assert template_render(text, {}) == text


def test_values_are_inserted_verbatim_in_one_pass() -> None:
    values = {"ort": "{datum} {0.__class__.__mro__}", "datum": "1. Mai"}
    assert template_render("{ort} / {datum}", values) == "{datum} {0.__class__.__mro__} / 1. Mai"


def test_missing_values_are_named() -> None:
    with pytest.raises(ValidationError) as error:
        template_render("{ort} {datum} {uhrzeit}", {"ort": "x", "datum": "   "})
    message = error.value.messages[0]
    assert "{datum}" in message and "{uhrzeit}" in message and "{ort}" not in message


# --- Templates and posts from templates ------------------------------------------------------


def test_post_from_template_is_a_draft_on_the_templates_channels(org, people, template) -> None:  # type: ignore[no-untyped-def]
    post = post_from_template(
        actor=people.editor, template=template, values=VALUES, planned_at=berlin(2026, 3, 3, 8)
    )
    assert post.status == Post.Status.DRAFT
    assert post.title == "Sperrung Hauptstraße"
    assert post.text == "Am 3. März ab 9 Uhr ist die Hauptstraße gesperrt. Umleitung über Ring."
    assert post.website_link == template.website_link
    assert post.template == template
    assert [v.channel for v in post.variants.all()] == [org.press_channel]
    assert actions(post) == ["editorial.post.created", "editorial.post.created_from_template"]
    entry = AuditEntry.objects.get(action="editorial.post.created_from_template")
    assert entry.data["values"]["ort"] == "Hauptstraße"
    assert actions(template) == ["editorial.template.created"]


def test_post_from_template_refuses_missing_values(people, template) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="umleitung"):
        post_from_template(actor=people.editor, template=template, values={"ort": "A"})
    assert not Post.objects.exists()


def test_template_channels_must_be_draftable(org, people) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        post_template_create(
            actor=people.editor,
            unit=org.press,
            name="x",
            title="x",
            text="x",
            channels=[org.police_channel],
        )


def test_only_admins_of_the_unit_mark_emergency_templates(org, people, template) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        post_template_update(actor=people.editor, template=template, is_emergency=True)
    # A channel admin who is no editor may set the mark, but not change the text.
    post_template_update(actor=people.channel_admin, template=template, is_emergency=True)
    template.refresh_from_db()
    assert template.is_emergency
    with pytest.raises(PermissionDenied):
        post_template_update(actor=people.channel_admin, template=template, text="Neu")
    # The mark vouches for the content: an editor without the admin right may not change it.
    with pytest.raises(PermissionDenied):
        post_template_update(actor=people.editor, template=template, text="Anders")
    both = UserFactory(roles=[(org.press, Role.EDITOR), (org.press, Role.CHANNEL_ADMIN)])
    post_template_update(actor=both, template=template, text="Anders {ort}")
    template.refresh_from_db()
    assert template.text == "Anders {ort}"
    post = post_from_template(actor=people.editor, template=template, values={"ort": "A"})
    assert post.is_emergency
    updates = AuditEntry.objects.filter(action="editorial.template.updated").order_by("sequence")
    assert [e.data["after"]["is_emergency"] for e in updates] == [True, True]


# --- Pages --------------------------------------------------------------------------------


def test_list_shows_the_units_templates_only(
    client_for, org, people, template, police_editor
) -> None:  # type: ignore[no-untyped-def]
    police_template = post_template_create(
        actor=police_editor, unit=org.police_press, name="Blitzer", title="B", text="B {ort}"
    )
    page = client_for(people.editor).get("/editorial/post-templates/").content.decode()
    assert ">Straßensperrung<" in page and "Blitzer" not in page
    assert "{umleitung}" in page
    page = client_for(police_editor).get("/editorial/post-templates/").content.decode()
    # The template's name as a link text; the page's German intro mentions "Straßensperrungen".
    assert "Blitzer" in page and ">Straßensperrung<" not in page
    assert police_template.pk


def test_other_units_get_404_and_auditors_403(client_for, people, template, police_editor) -> None:  # type: ignore[no-untyped-def]
    for user in (people.outsider, police_editor):
        client = client_for(user)
        for suffix in ("edit/", "delete/", "use/"):
            assert (
                client.get(f"/editorial/post-templates/{template.pk}/{suffix}").status_code == 404
            )
            assert (
                client.post(f"/editorial/post-templates/{template.pk}/{suffix}").status_code == 404
            )
    auditor = client_for(people.auditor)
    assert auditor.get("/editorial/post-templates/").status_code == 200
    assert auditor.get("/editorial/post-templates/new/").status_code == 403
    for suffix in ("edit/", "delete/", "use/"):
        assert auditor.post(f"/editorial/post-templates/{template.pk}/{suffix}").status_code == 403
    assert PostTemplate.objects.filter(pk=template.pk).exists()


def test_create_edit_and_delete_through_the_pages(client_for, org, people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.editor)
    page = client.get("/editorial/post-templates/new/").content.decode()
    assert "{ort}" in page and 'name="is_emergency"' not in page
    response = client.post(
        "/editorial/post-templates/new/",
        {
            "unit": org.press.pk,
            "name": "Sprechzeiten",
            "kind": "office_hours",
            "title": "Sprechzeiten {tag}",
            "text": "Am {tag} ist das Bürgerbüro bis {uhrzeit} geöffnet.",
            "channels": [org.press_channel.pk, org.social_channel.pk],
        },
    )
    template = PostTemplate.objects.get(name="Sprechzeiten")
    assert response.status_code == 302
    assert set(template.channels.all()) == {org.press_channel, org.social_channel}
    response = client.post(
        f"/editorial/post-templates/{template.pk}/edit/",
        {
            "name": "Sprechzeiten Bürgerbüro",
            "kind": "office_hours",
            "title": "Sprechzeiten {tag}",
            "text": "Am {tag} geöffnet bis {uhrzeit}.",
            "channels": [org.press_channel.pk],
        },
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.name == "Sprechzeiten Bürgerbüro"
    assert list(template.channels.all()) == [org.press_channel]
    assert client.post(f"/editorial/post-templates/{template.pk}/delete/").status_code == 302
    assert not PostTemplate.objects.filter(pk=template.pk).exists()
    assert actions(template) == [
        "editorial.template.created",
        "editorial.template.updated",
        "editorial.template.deleted",
    ]


def test_channel_admin_sees_only_the_emergency_mark(client_for, people, template) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.channel_admin)
    page = client.get(f"/editorial/post-templates/{template.pk}/edit/").content.decode()
    assert 'name="is_emergency"' in page and 'name="text"' not in page
    assert (
        client.post(
            f"/editorial/post-templates/{template.pk}/edit/", {"is_emergency": "on"}
        ).status_code
        == 302
    )
    template.refresh_from_db()
    assert template.is_emergency


def test_use_page_creates_the_draft_and_redirects_to_the_post(
    client_for, org, people, template
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.editor)
    page = client.get(f"/editorial/post-templates/{template.pk}/use/").content.decode()
    for name in ("{ort}", "{datum}", "{uhrzeit}", "{umleitung}"):
        assert name in page
    response = client.post(
        f"/editorial/post-templates/{template.pk}/use/",
        {
            "value_0": "Marktplatz",  # title placeholders first: {ort}
            "value_1": "29. März",
            "value_2": "10 Uhr",
            "value_3": "Ring",
            "unit": org.press.pk,
            "planned_date": "2026-03-29",
            "planned_time": "10:00",
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/editorial/posts/{post.pk}/"
    assert post.title == "Sperrung Marktplatz"
    assert post.planned_at == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)  # already summer time


def test_use_page_reports_missing_values_and_impossible_times(
    client_for, org, people, template
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.editor)
    response = client.post(
        f"/editorial/post-templates/{template.pk}/use/",
        {
            "value_0": "Marktplatz",
            "value_1": "29. März",
            "value_2": "10 Uhr",
            "value_3": "",
            "unit": org.press.pk,
            "planned_date": "2026-03-29",
            "planned_time": "02:30",
        },
    )
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert set(errors) == {"value_3", "planned_time"}
    assert "02:30" in errors["planned_time"][0]
    assert not Post.objects.exists()


def test_template_list_uses_a_constant_number_of_queries(
    client_for, org, people, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    def add(count: int) -> None:
        for i in range(count):
            post_template_create(
                actor=people.editor,
                unit=org.press,
                name=f"Vorlage {PostTemplate.objects.count()} {i}",
                title="T {a}",
                text="Text {a} {b}",
                channels=[org.press_channel, org.social_channel],
            )

    client = client_for(people.editor)
    add(2)
    client.get("/editorial/post-templates/")
    with CaptureQueriesContext(connection) as few:
        client.get("/editorial/post-templates/")
    with CaptureQueriesContext(connection) as few_api:
        client.get("/api/v1/post-templates/")
    add(20)
    with django_assert_max_num_queries(len(few)):
        assert client.get("/editorial/post-templates/").content.decode().count("Vorlage") >= 22
    with django_assert_max_num_queries(len(few_api)):
        assert client.get("/api/v1/post-templates/").json()["count"] == 22


# --- Recurrence: dates ----------------------------------------------------------------------


def test_weekly_stays_at_nine_local_time_across_both_dst_changes() -> None:
    weekly = Recurrence(frequency=Recurrence.Frequency.WEEKLY, interval=1)
    spring = recurrence_occurrences(weekly, berlin(2026, 3, 19, 9), 3)
    assert [m.astimezone(BERLIN).strftime("%d.%m. %H:%M") for m in spring] == [
        "19.03. 09:00",
        "26.03. 09:00",
        "02.04. 09:00",
    ]
    assert [m.astimezone(UTC).hour for m in spring] == [8, 8, 7]
    autumn = recurrence_occurrences(weekly, berlin(2026, 10, 22, 9), 2)
    assert [m.astimezone(UTC).hour for m in autumn] == [7, 8]
    assert [m.astimezone(BERLIN).hour for m in autumn] == [9, 9]


def test_monthly_on_the_31st_takes_the_last_day_of_shorter_months() -> None:
    monthly = Recurrence(frequency=Recurrence.Frequency.MONTHLY, interval=1)
    days = [m.date() for m in recurrence_occurrences(monthly, berlin(2027, 12, 31, 10), 6)]
    assert days == [
        date(2027, 12, 31),
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 31),
        date(2028, 4, 30),
        date(2028, 5, 31),
    ]
    every_second = Recurrence(frequency=Recurrence.Frequency.MONTHLY, interval=2)
    days = [m.date() for m in recurrence_occurrences(every_second, berlin(2026, 8, 31, 10), 3)]
    assert days == [date(2026, 8, 31), date(2026, 10, 31), date(2026, 12, 31)]


def test_a_time_in_the_spring_gap_moves_an_hour_later() -> None:
    daily = Recurrence(frequency=Recurrence.Frequency.DAILY, interval=1)
    moments = recurrence_occurrences(daily, berlin(2026, 3, 28, 2, 30), 3)
    assert [m.astimezone(BERLIN).strftime("%d. %H:%M") for m in moments] == [
        "28. 02:30",
        "29. 03:30",
        "30. 02:30",
    ]


def test_count_and_until_end_the_series() -> None:
    start = berlin(2026, 3, 2, 9)
    by_count = Recurrence(frequency=Recurrence.Frequency.DAILY, interval=2, count=3)
    assert [m.day for m in recurrence_occurrences(by_count, start, 10)] == [2, 4, 6]
    by_date = Recurrence(frequency=Recurrence.Frequency.WEEKLY, interval=1, until=date(2026, 3, 16))
    assert [m.day for m in recurrence_occurrences(by_date, start, 10)] == [2, 9, 16]


# --- Recurrence: series ---------------------------------------------------------------------


@pytest.fixture
def origin(org, people) -> Post:  # type: ignore[no-untyped-def]
    return post_create(
        actor=people.editor,
        unit=org.press,
        title="Sprechstunde",
        text="Heute ist Bürgersprechstunde im Rathaus.",
        planned_at=berlin(2026, 3, 5, 9),
        channels=[org.press_channel],
    )


def series_of(origin: Post) -> list[Post]:
    return list(Post.objects.filter(recurrence__origin=origin).exclude(pk=origin.pk))


@time_machine.travel(NOW, tick=False)
def test_making_a_post_recurring_creates_copies_for_the_horizon(org, people, origin) -> None:  # type: ignore[no-untyped-def]
    recurrence = post_make_recurring(actor=people.editor, post=origin, frequency="weekly")
    copies = series_of(origin)
    last = NOW + HORIZON
    expected = [berlin(2026, 3, 5, 9) + timedelta(weeks=n) for n in range(1, 9)]
    expected = [berlin(m.year, m.month, m.day, 9) for m in expected if m <= last]
    assert [c.planned_at for c in copies] == expected
    assert all(c.planned_at.astimezone(BERLIN).hour == 9 for c in copies)
    for copy in copies:
        assert copy.text == origin.text and copy.status == Post.Status.DRAFT
        assert [v.channel_id for v in copy.variants.all()] == [org.press_channel.pk]
        assert copy.recurrence == recurrence
    assert "editorial.series.created" in actions(origin)
    assert "editorial.series.extended" in actions(origin)


@time_machine.travel(NOW, tick=False)
def test_recurring_needs_rights_and_a_planned_time(org, people, origin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        post_make_recurring(actor=people.approver, post=origin, frequency="weekly")
    unplanned = post_create(
        actor=people.editor, unit=org.press, title="x", text="x", channels=[org.press_channel]
    )
    with pytest.raises(ValidationError):
        post_make_recurring(actor=people.editor, post=unplanned, frequency="weekly")
    with pytest.raises(ValidationError) as error:
        post_make_recurring(
            actor=people.editor, post=origin, frequency="weekly", interval=0, count=1
        )
    assert set(error.value.message_dict) == {"interval", "count"}


def test_the_periodic_task_is_idempotent(people, origin) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        post_make_recurring(actor=people.editor, post=origin, frequency="weekly", count=20)
        before = len(series_of(origin))
        assert extend_recurring_series() == 0
        assert extend_recurring_series() == 0
        assert len(series_of(origin)) == before
        # A withdrawn or moved occurrence is not created again.
        first = series_of(origin)[0]
        first.status = Post.Status.WITHDRAWN
        first.planned_at = first.planned_at + timedelta(hours=3)
        first.save()
        assert extend_recurring_series() == 0
    with time_machine.travel(NOW + timedelta(weeks=1), tick=False):
        assert extend_recurring_series() == 1
        assert extend_recurring_series() == 0
    assert len(series_of(origin)) == before + 1
    planned = [p.planned_at for p in series_of(origin)]
    assert len(planned) == len(set(planned))


def approve(origin: Post, people) -> None:  # type: ignore[no-untyped-def]
    post_submit(actor=people.editor, post=origin)
    post_approve(actor=people.approver, post=origin)


@time_machine.travel(NOW, tick=False)
def test_approval_carries_over_to_identical_occurrences_only(people, origin) -> None:  # type: ignore[no-untyped-def]
    post_make_recurring(actor=people.editor, post=origin, frequency="weekly", count=4)
    second, third, fourth = series_of(origin)
    post_update(actor=people.editor, post=third, text="Heute keine Sprechstunde.")
    approve(origin, people)
    origin.refresh_from_db()
    assert origin.status == Post.Status.SCHEDULED
    # Carried over at the moment of approval; an explicit call finds nothing left to do.
    assert recurrence_carry_approval(origin=origin) == []
    for post in (second, fourth):
        post.refresh_from_db()
        assert post.status == Post.Status.SCHEDULED
        assert post.approved_hash == origin.approved_hash
        assert post.approved_at == origin.approved_at
        assert post.variants.get().scheduled_at == post.planned_at
        assert Approval.objects.get(post=post).approver == people.approver
        assert actions(post)[-2:] == [
            "editorial.series.occurrence_submitted",
            "editorial.series.approval_carried_over",
        ]
    third.refresh_from_db()
    assert third.status == Post.Status.DRAFT and not third.approvals.exists()
    # Running again (the periodic sweep) changes nothing.
    assert recurrence_carry_approval(origin=origin) == []
    assert extend_recurring_series() == 0


@time_machine.travel(NOW, tick=False)
def test_occurrences_created_after_the_approval_are_approved_at_once(people, origin) -> None:  # type: ignore[no-untyped-def]
    approve(origin, people)
    post_make_recurring(actor=people.editor, post=origin, frequency="weekly", count=3)
    assert {p.status for p in series_of(origin)} == {Post.Status.SCHEDULED}


@time_machine.travel(NOW, tick=False)
def test_an_edited_occurrence_returns_to_review_by_itself(people, origin) -> None:  # type: ignore[no-untyped-def]
    post_make_recurring(actor=people.editor, post=origin, frequency="weekly", count=3)
    approve(origin, people)
    recurrence_carry_approval(origin=origin)
    second, third = series_of(origin)
    post_update(actor=people.editor, post=second, text="Ausnahmsweise im Foyer.")
    second.refresh_from_db()
    third.refresh_from_db()
    origin.refresh_from_db()
    assert second.status == Post.Status.IN_REVIEW and not second.approved_hash
    assert third.status == Post.Status.SCHEDULED
    assert origin.status == Post.Status.SCHEDULED


@time_machine.travel(NOW, tick=False)
def test_the_author_never_approves_a_copy(org, people, origin) -> None:  # type: ignore[no-untyped-def]
    # The approver is also an editor and makes the series: copies are theirs, so the
    # approval they gave for the origin does not count for them (four eyes).
    both = UserFactory(roles=[(org.press, Role.EDITOR), (org.press, Role.APPROVER)])
    post_submit(actor=people.editor, post=origin)
    post_approve(actor=both, post=origin)
    post_make_recurring(actor=both, post=origin, frequency="weekly", count=3)
    assert {p.status for p in series_of(origin)} == {Post.Status.DRAFT}


@time_machine.travel(NOW, tick=False)
def test_stopping_withdraws_future_occurrences(people, origin) -> None:  # type: ignore[no-untyped-def]
    recurrence = post_make_recurring(actor=people.editor, post=origin, frequency="daily")
    copies = series_of(origin)
    with pytest.raises(PermissionDenied):
        recurrence_stop(actor=people.outsider, recurrence=recurrence)
    withdrawn = recurrence_stop(actor=people.editor, recurrence=recurrence)
    assert sorted(withdrawn) == sorted(c.pk for c in copies)
    assert {p.status for p in series_of(origin)} == {Post.Status.WITHDRAWN}
    origin.refresh_from_db()
    assert origin.status == Post.Status.DRAFT
    entry = AuditEntry.objects.get(action="editorial.series.stopped")
    assert entry.actor == people.editor and sorted(entry.data["withdrawn"]) == sorted(withdrawn)
    with time_machine.travel(NOW + timedelta(weeks=2), tick=False):
        assert extend_recurring_series() == 0
    with pytest.raises(ValidationError):
        recurrence_stop(actor=people.editor, recurrence=recurrence)


@time_machine.travel(NOW, tick=False)
def test_recurrence_page(client_for, people, origin) -> None:  # type: ignore[no-untyped-def]
    url = f"/editorial/post-templates/recurrence/{origin.pk}/"
    assert client_for(people.outsider).get(url).status_code == 404
    auditor = client_for(people.auditor)
    assert auditor.get(url).status_code == 200
    assert auditor.post(url, {"action": "make", "frequency": "weekly"}).status_code == 403
    client = client_for(people.editor)
    assert 'name="frequency"' in client.get(url).content.decode()
    response = client.post(url, {"action": "make", "frequency": "weekly", "interval": 2})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "every 2 weeks" in page or "alle 2 Wochen" in page
    # Every second week from 5 March within eight weeks of 2 March: 19.3., 2.4., 16.4.
    assert [p.planned_at.day for p in series_of(origin)] == [19, 2, 16]
    assert auditor.post(url, {"action": "stop"}).status_code == 403
    assert client.post(url, {"action": "stop"}).status_code == 302
    assert {p.status for p in series_of(origin)} == {Post.Status.WITHDRAWN}


# --- API ------------------------------------------------------------------------------------


def test_api_template_crud_and_denials(api_client_for, org, people, police_editor) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(people.editor)
    payload = {
        "unit": org.press.pk,
        "name": "Unwetter",
        "kind": "warning",
        "title": "Warnung {gebiet}",
        "text": "Für {gebiet} gilt eine Unwetterwarnung bis {uhrzeit}.",
        "channels": [org.press_channel.pk],
    }
    response = api.post("/api/v1/post-templates/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["placeholders"] == ["gebiet", "uhrzeit"]
    assert body["channels"] == [org.press_channel.pk]
    pk = body["id"]
    bad = api.post(
        "/api/v1/post-templates/", {**payload, "channels": [org.police_channel.pk]}, format="json"
    )
    assert bad.status_code == 400 and "channels" in bad.json()
    forbidden = api.post(
        "/api/v1/post-templates/", {**payload, "is_emergency": True}, format="json"
    )
    assert forbidden.status_code == 403
    assert api.get(f"/api/v1/post-templates/{pk}/").json()["name"] == "Unwetter"
    response = api.patch(f"/api/v1/post-templates/{pk}/", {"name": "Sturm"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "Sturm"

    for outsider in (people.outsider, police_editor):
        other = api_client_for(outsider)
        assert other.get(f"/api/v1/post-templates/{pk}/").status_code == 404
        assert other.patch(f"/api/v1/post-templates/{pk}/", {"name": "x"}).status_code == 404
        assert other.delete(f"/api/v1/post-templates/{pk}/").status_code == 404
        assert other.post(f"/api/v1/post-templates/{pk}/use/", {}).status_code == 404
        assert other.get("/api/v1/post-templates/").json()["count"] == 0
    auditor = api_client_for(people.auditor)
    assert auditor.get(f"/api/v1/post-templates/{pk}/").status_code == 200
    assert auditor.patch(f"/api/v1/post-templates/{pk}/", {"name": "x"}).status_code == 403
    assert auditor.delete(f"/api/v1/post-templates/{pk}/").status_code == 403
    assert auditor.post("/api/v1/post-templates/", payload, format="json").status_code == 403
    assert auditor.post(f"/api/v1/post-templates/{pk}/use/", {}, format="json").status_code == 403
    assert api.delete(f"/api/v1/post-templates/{pk}/").status_code == 204
    assert not PostTemplate.objects.filter(pk=pk).exists()


def test_api_use_resolves_berlin_wall_clock_time(api_client_for, people, template) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(people.editor)
    url = f"/api/v1/post-templates/{template.pk}/use/"
    missing = api.post(url, {"values": {"ort": "A"}}, format="json")
    assert missing.status_code == 400 and "umleitung" in str(missing.json())
    gap = api.post(url, {"values": VALUES, "planned_at": "2026-03-29T02:30"}, format="json")
    assert gap.status_code == 400 and "planned_at" in gap.json()
    twice = api.post(url, {"values": VALUES, "planned_at": "2026-10-25T02:30"}, format="json")
    assert twice.status_code == 400
    response = api.post(
        url,
        {"values": VALUES, "planned_at": "2026-10-25T02:30", "second_occurrence": True},
        format="json",
    )
    assert response.status_code == 201, response.json()
    post = Post.objects.get(pk=response.json()["id"])
    assert post.planned_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert response.json()["url"] == f"/editorial/posts/{post.pk}/"
    assert post.text.startswith("Am 3. März")


def test_recurrence_endpoint_is_not_shadowed_by_the_post_actions() -> None:
    # ``posts/<int:pk>/<str:action>/`` of the posts API is mounted first and swallows
    # ``posts/<pk>/recurrence/``; it must list its actions or be mounted after this module.
    match = resolve("/api/v1/posts/1/recurrence/")
    assert match.func.view_class is PostRecurrenceView, match.route  # type: ignore[attr-defined]


@time_machine.travel(NOW, tick=False)
def test_api_recurrence(api_client_for, people, origin) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/posts/{origin.pk}/recurrence/"
    assert api_client_for(people.outsider).post(url, {"frequency": "weekly"}).status_code == 404
    assert api_client_for(people.auditor).post(url, {"frequency": "weekly"}).status_code == 403
    api = api_client_for(people.editor)
    assert api.get(url).status_code == 404
    bad = api.post(url, {"frequency": "weekly", "until": "2026-03-01"}, format="json")
    assert bad.status_code == 400 and "until" in bad.json()
    response = api.post(url, {"frequency": "weekly", "count": 3}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["posts"][0]["id"] == origin.pk and len(body["posts"]) == 3
    assert api.post(url, {"frequency": "weekly"}, format="json").status_code == 400
    assert api_client_for(people.auditor).delete(url).status_code == 403
    response = api.delete(url)
    assert response.status_code == 200
    assert response.json()["stopped_at"] and len(response.json()["withdrawn"]) == 2


def test_openapi_schema_lists_the_endpoints() -> None:
    out = StringIO()
    call_command("spectacular", "--validate", stdout=out, stderr=StringIO())
    schema = out.getvalue()
    for endpoint in (
        "/api/v1/post-templates/:",
        "/api/v1/post-templates/{id}/:",
        "/api/v1/post-templates/{id}/use/:",
        "/api/v1/posts/{id}/recurrence/:",
    ):
        assert endpoint in schema
