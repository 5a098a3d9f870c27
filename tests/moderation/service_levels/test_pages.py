# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Pages of the service levels: overview, settings per unit, report; who may do what."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import AuditEntry
from moderation.models import InboxItem
from moderation.models import ModerationSettings
from tests.conftest import de
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.moderation.service_levels.conftest import berlin
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "first_response_minutes": "120",
        "next_response_minutes": "240",
        "storm_threshold": "40",
        "storm_window_minutes": "30",
        "day0_0_start": "08:00",
        "day0_0_end": "12:00",
        "day0_1_start": "13:00",
        "day0_1_end": "17:00",
        "day4_0_start": "08:00",
        "day4_0_end": "14:00",
    }
    data.update(overrides)
    return data


def test_overview_lists_the_units(client_for, people, org) -> None:
    response = client_for(people.community_manager).get(reverse("service_levels:index"))
    assert response.status_code == 200
    assert "Presseamt" in response.content.decode()


def test_overview_lists_storm_alerts(client_for, people, org) -> None:
    from moderation.models import StormAlert

    StormAlert.objects.create(
        channel=org.press_channel, window_start=berlin(2026, 12, 1), item_count=77
    )
    response = client_for(people.auditor).get(reverse("service_levels:index"))
    assert "77" in response.content.decode()


def test_settings_page_shows_time_inputs(client_for, people, org) -> None:
    url = reverse("service_levels:unit", args=[org.press.pk])
    body = client_for(people.community_manager).get(url).content.decode()
    assert 'type="time"' in body
    assert 'value="08:00"' in body


def test_community_manager_saves_service_hours(client_for, people, org) -> None:
    url = reverse("service_levels:unit", args=[org.press.pk])
    response = client_for(people.community_manager).post(url, _form())
    assert response.status_code == 302
    settings = ModerationSettings.objects.get(unit=org.press)
    assert settings.service_hours == {
        "0": [["08:00", "12:00"], ["13:00", "17:00"]],
        "4": [["08:00", "14:00"]],
    }
    assert settings.first_response_minutes == 120


def test_saving_is_audited_with_before_and_after(client_for, people, org) -> None:
    url = reverse("service_levels:unit", args=[org.press.pk])
    client_for(people.community_manager).post(url, _form())
    entry = AuditEntry.objects.get(action="moderation.service_levels.updated")
    assert entry.data["before"]["first_response_minutes"] == 240
    assert entry.data["after"]["first_response_minutes"] == 120


def test_overlapping_ranges_are_refused_with_a_clear_message(client_for, people, org) -> None:
    url = reverse("service_levels:unit", args=[org.press.pk])
    response = client_for(people.community_manager).post(url, _form(day0_1_start="11:00"))
    assert response.status_code == 400
    body = response.content.decode()
    assert de("%(day)s: the ranges overlap; join them into one.") % {"day": de("Monday")} in body
    assert 'name="day0_1_start" value="11:00" step="60" aria-invalid="true"' in body
    assert not ModerationSettings.objects.filter(unit=org.press).exists()


def test_range_ending_before_it_starts_is_refused(client_for, people, org) -> None:
    url = reverse("service_levels:unit", args=[org.press.pk])
    response = client_for(people.community_manager).post(url, _form(day4_0_end="07:00"))
    assert response.status_code == 400
    refusal = de("%(day)s: a range must end after it starts.") % {"day": de("Friday")}
    assert refusal in response.content.decode()


def test_range_without_an_end_is_refused(client_for, people, org) -> None:
    url = reverse("service_levels:unit", args=[org.press.pk])
    response = client_for(people.community_manager).post(url, _form(day4_0_end=""))
    assert response.status_code == 400
    assert de("Give both a start and an end for each range.") in response.content.decode()


def test_auditor_reads_the_settings(client_for, people, org) -> None:
    url = reverse("service_levels:unit", args=[org.press.pk])
    response = client_for(people.auditor).get(url)
    assert response.status_code == 200
    assert de("Save service levels") not in response.content.decode()


def test_auditor_may_not_save(client_for, people, org) -> None:
    url = reverse("service_levels:unit", args=[org.press.pk])
    assert client_for(people.auditor).post(url, _form()).status_code == 403


def test_other_authority_gets_404(client_for, people, org) -> None:
    url = reverse("service_levels:unit", args=[org.press.pk])
    assert client_for(people.outsider).get(url).status_code == 404
    assert client_for(people.outsider).post(url, _form()).status_code == 404


def test_editor_has_no_service_levels(client_for, people) -> None:
    assert client_for(people.editor).get(reverse("service_levels:index")).status_code == 403


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get(reverse("service_levels:index"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_report_page_shows_the_share(client_for, people, org) -> None:
    item = InboxItemFactory(channel=org.press_channel, created_at=berlin(2026, 12, 1, 9))
    InboxItem.objects.filter(pk=item.pk).update(
        first_responded_at=berlin(2026, 12, 1, 10), first_response_breached=False
    )
    response = client_for(people.auditor).get(
        reverse("service_levels:report"),
        {"unit": org.press.pk, "start": "2026-12-01", "end": "2026-12-02"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "100 %" in body
    assert (
        de(
            "Figures per employee are switched off for the units of these channels (staff"
            " council co-determination): only figures per unit and channel are shown."
        )
        in body
    )


def test_report_refuses_a_reversed_period(client_for, people, org) -> None:
    response = client_for(people.auditor).get(
        reverse("service_levels:report"),
        {"unit": org.press.pk, "start": "2026-12-05", "end": "2026-12-01"},
    )
    assert response.status_code == 400


def test_report_of_another_authoritys_unit_is_refused(client_for, people, org) -> None:
    response = client_for(people.community_manager).get(
        reverse("service_levels:report"),
        {"unit": org.police.pk, "start": "2026-12-01", "end": "2026-12-02"},
    )
    assert response.status_code == 400


def test_report_page_shows_rows_per_employee_only_when_switched_on(client_for, people, org) -> None:
    from moderation.models import Reply

    item = InboxItemFactory(channel=org.press_channel, created_at=berlin(2026, 12, 1, 9))
    InboxItem.objects.filter(pk=item.pk).update(
        first_responded_at=berlin(2026, 12, 1, 10), first_response_breached=False
    )
    Reply.objects.create(
        item=item,
        author=people.community_manager,
        text="Danke",
        status=Reply.Status.SENT,
        sent_at=berlin(2026, 12, 1, 10),
    )
    query = {"unit": org.press.pk, "start": "2026-12-01", "end": "2026-12-02"}
    client = client_for(people.auditor)
    off = client.get(reverse("service_levels:report"), query).content.decode()
    assert f"{de('Per employee')}</caption>" not in off
    ModerationSettings.objects.create(unit=org.press, employee_figures=True)
    on = client.get(reverse("service_levels:report"), query).content.decode()
    assert f"{de('Per employee')}</caption>" in on
    assert str(people.community_manager) in on


def test_report_page_names_the_channels_counted_per_employee(client_for, people, org) -> None:
    ModerationSettings.objects.create(unit=org.press, employee_figures=True)
    ModerationSettings.objects.create(unit=org.social, employee_figures=False)
    body = (
        client_for(people.auditor)
        .get(
            reverse("service_levels:report"),
            {"unit": org.press.pk, "start": "2026-12-01", "end": "2026-12-02"},
        )
        .content.decode()
    )
    counted = de("Only the channels of units whose switch is on are counted here:")
    assert f"{counted} {org.press_channel.name}." in body


def test_settings_page_names_where_each_inherited_setting_comes_from(
    client_for, people, org
) -> None:
    ModerationSettings.objects.create(unit=org.city, first_response_minutes=60)
    body = (
        client_for(people.community_manager)
        .get(reverse("service_levels:unit", args=[org.press.pk]))
        .content.decode()
    )
    label = de("first response within (service minutes)")
    expected = de("%(setting)s: inherited from %(name)s") % {
        "setting": label[0].upper() + label[1:],
        "name": org.city.name,
    }
    assert expected in body
