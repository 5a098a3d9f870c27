# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Report settings API (``/api/v1/analytics/reports/settings/<unit>/``): read by everyone
with a role in the unit, replaced by approvers and system admins, audited, checked as the
page checks them."""

from __future__ import annotations

from typing import Any

from accounts.models import AuditEntry
from analytics.models import ReportSettings
from tests.conftest import Org
from tests.conftest import People
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _url(org: Org) -> str:
    return f"/api/v1/analytics/reports/settings/{org.press.pk}/"


def test_defaults_before_anything_is_saved(api_client_for: Any, org: Org, people: People) -> None:
    body = api_client_for(people.editor).get(_url(org)).json()
    assert body == {
        "unit": org.press.pk,
        "enabled": False,
        "language": "de",
        "recipients": [],
        "extra_addresses": [],
        "updated_at": None,
        "updated_by": None,
    }


def test_an_approver_replaces_them_audited(api_client_for: Any, org: Org, people: People) -> None:
    response = api_client_for(people.approver).put(
        _url(org),
        {
            "enabled": True,
            "language": "en",
            "recipients": [people.editor.pk],
            "extra_addresses": ["buergermeister@stadt.example"],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["enabled"], body["language"], body["recipients"]) == (
        True,
        "en",
        [people.editor.pk],
    )
    assert body["extra_addresses"] == ["buergermeister@stadt.example"]
    assert body["updated_by"] == people.approver.pk
    saved = ReportSettings.objects.get(unit=org.press)
    assert saved.addresses == ["buergermeister@stadt.example"]
    entry = AuditEntry.objects.get(action="analytics.reports.settings_updated")
    assert entry.actor == people.approver
    assert entry.data["after"]["recipients"] == [people.editor.pk]


def test_switching_on_without_anyone_is_refused(
    api_client_for: Any, org: Org, people: People
) -> None:
    response = api_client_for(people.approver).put(
        _url(org), {"enabled": True, "language": "de"}, format="json"
    )
    assert response.status_code == 400
    assert "recipients" in response.json()
    assert not ReportSettings.objects.exists()


def test_a_recipient_without_a_role_in_the_unit_is_refused(
    api_client_for: Any, org: Org, people: People
) -> None:
    stranger = UserFactory(email="fremd@polizei.example")
    response = api_client_for(people.approver).put(
        _url(org),
        {"enabled": True, "language": "de", "recipients": [stranger.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert not ReportSettings.objects.exists()


def test_an_auditor_reads_but_does_not_change(
    api_client_for: Any, org: Org, people: People
) -> None:
    client = api_client_for(people.auditor)
    assert client.get(_url(org)).status_code == 200
    refused = client.put(_url(org), {"enabled": False, "language": "en"}, format="json")
    assert refused.status_code == 403
    assert not ReportSettings.objects.exists()


def test_another_authority_finds_nothing(api_client_for: Any, org: Org, people: People) -> None:
    assert api_client_for(people.outsider).get(_url(org)).status_code == 404
