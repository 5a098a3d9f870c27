# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Pages of data protection: settings per unit, requests (search, record, export, erase)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from moderation.models import DataSubjectRequest
from moderation.models import InboxItem
from moderation.models import ModerationSettings
from moderation.privacy.services import data_subject_request_create
from moderation.privacy.services import retention_apply
from tests.conftest import de
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _request(org, people, trail, kind=DataSubjectRequest.Kind.ERASURE):  # type: ignore[no-untyped-def]
    return data_subject_request_create(
        actor=people.community_manager, unit=org.press, kind=kind, authors=[trail.author]
    )


def _settings_form(**overrides: str) -> dict[str, str]:
    data = {"retention_days": "30", "evidence_retention_days": "365", "block_retention_days": "365"}
    data.update(overrides)
    return data


def test_overview_explains_what_is_kept(client_for, people, org) -> None:
    response = client_for(people.community_manager).get(reverse("privacy:index"))
    assert response.status_code == 200
    kept = de(
        "Kept for statistics: counts, times, channel, status, the kinds of flags and the response"
        " times. Our own replies, moderation decisions and internal notes are the authority's"
        " records and are kept: do not quote commenters in internal notes."
    )
    assert kept in response.content.decode()


def test_overview_says_when_retention_last_ran_though_it_erased_nothing(
    client_for, people, org
) -> None:
    from datetime import UTC
    from datetime import datetime

    import time_machine

    with time_machine.travel(datetime(2026, 12, 1, 8, 0, tzinfo=UTC), tick=False):
        retention_apply()
    body = client_for(people.community_manager).get(reverse("privacy:index")).content.decode()
    assert de("Last retention run: %(when)s.") % {"when": "01.12.2026 09:00"} in body


def test_system_admin_changes_retention(client_for, people, org) -> None:
    url = reverse("privacy:unit", args=[org.press.pk])
    response = client_for(people.system_admin).post(
        url, _settings_form(employee_figures="on", criminal_unit=str(org.city.pk))
    )
    assert response.status_code == 302
    settings = ModerationSettings.objects.get(unit=org.press)
    assert (settings.retention_days, settings.employee_figures) == (30, True)
    assert settings.criminal_unit == org.city
    entry = AuditEntry.objects.get(action="moderation.privacy.settings_updated")
    assert entry.data["after"]["retention_days"] == 30


def test_community_manager_may_not_change_retention(client_for, people, org) -> None:
    url = reverse("privacy:unit", args=[org.press.pk])
    client = client_for(people.community_manager)
    assert client.get(url).status_code == 200
    assert client.post(url, _settings_form()).status_code == 403
    assert not ModerationSettings.objects.filter(unit=org.press).exists()


def test_other_authority_does_not_find_the_unit(client_for, people, org) -> None:
    url = reverse("privacy:unit", args=[org.press.pk])
    assert client_for(people.outsider).get(url).status_code == 404
    assert client_for(people.outsider).post(url, _settings_form()).status_code == 404


def test_search_finds_the_account_by_handle(client_for, people, org, trail) -> None:
    response = client_for(people.community_manager).get(
        reverse("privacy:request_new"), {"unit": org.press.pk, "q": "@erika_m"}
    )
    assert response.status_code == 200
    assert "Erika Mustermann" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["Mustermann", "https://sandbox.example/@erika_m", "rid-9988776655"]
)
def test_search_by_name_profile_or_platform_id(client_for, people, org, trail, query) -> None:
    response = client_for(people.community_manager).get(
        reverse("privacy:request_new"), {"unit": org.press.pk, "q": query}
    )
    assert f'value="{trail.author.pk}"' in response.content.decode()


def test_search_does_not_reach_another_authoritys_channels(client_for, people, org) -> None:
    from tests.moderation.factories import AuthorFactory

    AuthorFactory(channel=org.police_channel, handle="erika_m")
    response = client_for(people.community_manager).get(
        reverse("privacy:request_new"), {"unit": org.press.pk, "q": "erika_m"}
    )
    assert "Polizei" not in response.content.decode()


def test_record_a_request(client_for, people, org, trail) -> None:
    response = client_for(people.community_manager).post(
        reverse("privacy:request_new"),
        {
            "unit": org.press.pk,
            "q": "erika_m",
            "kind": "access",
            "reference": "DS-1",
            "authors": [trail.author.pk],
        },
    )
    subject_request = DataSubjectRequest.objects.get()
    assert response.status_code == 302
    assert list(subject_request.authors.all()) == [trail.author]


def test_download_the_export(client_for, people, org, trail) -> None:
    subject_request = _request(org, people, trail, DataSubjectRequest.Kind.ACCESS)
    response = client_for(people.community_manager).post(
        reverse("privacy:request_export", args=[subject_request.pk])
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["summary"]["items"] == 2


def test_erase_needs_a_confirmation(client_for, people, org, trail) -> None:
    subject_request = _request(org, people, trail)
    client_for(people.community_manager).post(
        reverse("privacy:request_erase", args=[subject_request.pk])
    )
    assert InboxItem.objects.get(pk=trail.items[0].pk).erased_at is None


def test_erase_and_see_the_summary(client_for, people, org, trail) -> None:
    subject_request = _request(org, people, trail)
    client = client_for(people.community_manager)
    response = client.post(
        reverse("privacy:request_erase", args=[subject_request.pk]), {"confirm": "on"}
    )
    assert response.status_code == 302
    assert InboxItem.objects.get(pk=trail.items[0].pk).erased_at is not None
    page = client.get(reverse("privacy:request", args=[subject_request.pk])).content.decode()
    summary = de(
        "Erased: %(items)s items, %(evidence)s evidence records, %(blocks)s block entries with"
        " %(appeals)s objections; %(authors)s accounts pseudonymised."
    )
    assert summary.split(",")[0] % {"items": 2} in page


def test_auditor_reads_but_may_not_export_or_erase(client_for, people, org, trail) -> None:
    subject_request = _request(org, people, trail)
    client = client_for(people.auditor)
    assert client.get(reverse("privacy:request", args=[subject_request.pk])).status_code == 200
    assert (
        client.post(reverse("privacy:request_export", args=[subject_request.pk])).status_code == 403
    )
    response = client.post(
        reverse("privacy:request_erase", args=[subject_request.pk]), {"confirm": "on"}
    )
    assert response.status_code == 403
    assert client.get(reverse("privacy:request_new")).status_code == 403


def test_other_authority_does_not_find_the_request(client_for, people, org, trail) -> None:
    subject_request = _request(org, people, trail)
    client = client_for(people.outsider)
    assert client.get(reverse("privacy:request", args=[subject_request.pk])).status_code == 404
    assert (
        client.post(reverse("privacy:request_export", args=[subject_request.pk])).status_code == 404
    )


def test_request_list_queries_do_not_grow_with_its_length(client_for, people, org, trail) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people.community_manager)
    _request(org, people, trail)
    client.get(reverse("privacy:requests"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("privacy:requests"))
    for _n in range(5):
        _request(org, people, trail)
    with CaptureQueriesContext(connection) as six:
        response = client.get(reverse("privacy:requests"))
    assert len(six) == len(one)
    assert response.content.decode().count(de("Erasure")) >= 6


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get(reverse("privacy:requests"))
    assert response.status_code == 302


def test_hostile_names_are_shown_escaped(client_for, people, org) -> None:
    from tests.moderation.factories import AuthorFactory

    AuthorFactory(channel=org.press_channel, handle="evil", display_name="<script>x()</script>")
    body = (
        client_for(people.community_manager)
        .get(reverse("privacy:request_new"), {"unit": org.press.pk, "q": "evil"})
        .content.decode()
    )
    assert "<script>x()</script>" not in body
    assert "&lt;script&gt;x()&lt;/script&gt;" in body


def test_request_list_marks_an_overdue_request(client_for, people, org, trail) -> None:
    from datetime import date

    import time_machine

    data_subject_request_create(
        actor=people.community_manager,
        unit=org.press,
        kind=DataSubjectRequest.Kind.ACCESS,
        authors=[trail.author],
        received_on=date(2026, 10, 1),
    )
    with time_machine.travel(date(2026, 11, 2)):
        body = client_for(people.auditor).get(reverse("privacy:requests")).content.decode()
    assert de("Overdue: due %(date)s") % {"date": "01.11.2026"} in body


def test_request_page_shows_the_due_date(client_for, people, org, trail) -> None:
    from datetime import date

    subject_request = data_subject_request_create(
        actor=people.community_manager,
        unit=org.press,
        kind=DataSubjectRequest.Kind.ACCESS,
        authors=[trail.author],
        received_on=date(2026, 11, 10),
    )
    body = (
        client_for(people.auditor)
        .get(reverse("privacy:request", args=[subject_request.pk]))
        .content.decode()
    )
    assert "<dd>10.12.2026</dd>" in body


def test_record_a_request_with_the_day_it_was_received(client_for, people, org, trail) -> None:
    client_for(people.community_manager).post(
        reverse("privacy:request_new"),
        {
            "unit": org.press.pk,
            "q": "erika_m",
            "kind": "access",
            "received_on": "2026-11-10",
            "authors": [trail.author.pk],
        },
    )
    assert DataSubjectRequest.objects.get().due_on.isoformat() == "2026-12-10"
