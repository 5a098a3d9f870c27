# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The flags API: keyword alerts, lexicon entries, an item's flags, dismissing; who may."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from moderation.flags.services import flags_raise
from moderation.flags.services import keyword_alert_create
from moderation.flags.services import lexicon_entry_add
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import KeywordAlert
from moderation.models import LexiconEntry
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

Make = Callable[..., InboxItem]


@pytest.fixture
def flagged(make_item: Make) -> Flag:
    item = make_item("Ihr Idioten")
    flags_raise(items=[item])
    return Flag.objects.get(item=item)


def test_community_manager_creates_a_keyword_alert(
    api_client_for, org: Org, people: People
) -> None:
    client: APIClient = api_client_for(people.community_manager)
    answer = client.post(
        "/api/v1/keyword-alerts/",
        {"unit": org.press.pk, "phrase": "Bombe", "category": "threat", "raises_priority": True},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    alert = KeywordAlert.objects.get()
    assert (alert.phrase, alert.category, alert.raises_priority) == ("Bombe", "threat", True)
    assert AuditEntry.objects.filter(action="moderation.flags.keyword_alert_created").exists()


def test_duplicate_alert_is_refused(api_client_for, org: Org, people: People) -> None:
    keyword_alert_create(actor=people.community_manager, unit=org.press, phrase="Bombe")
    answer = api_client_for(people.community_manager).post(
        "/api/v1/keyword-alerts/", {"unit": org.press.pk, "phrase": "bombe"}, format="json"
    )
    assert answer.status_code == 400
    assert "phrase" in answer.json()


def test_auditor_reads_alerts_but_may_not_create(api_client_for, org: Org, people: People) -> None:
    keyword_alert_create(actor=people.community_manager, unit=org.press, phrase="Bombe")
    client = api_client_for(people.auditor)
    assert [a["phrase"] for a in client.get("/api/v1/keyword-alerts/").json()["results"]] == [
        "Bombe"
    ]
    answer = client.post(
        "/api/v1/keyword-alerts/", {"unit": org.press.pk, "phrase": "Feuer"}, format="json"
    )
    assert answer.status_code == 403


def test_other_authority_sees_no_alerts_and_gets_404(
    api_client_for, org: Org, people: People
) -> None:
    alert = keyword_alert_create(actor=people.community_manager, unit=org.press, phrase="Bombe")
    client = api_client_for(people.outsider)
    assert client.get("/api/v1/keyword-alerts/").json()["results"] == []
    assert client.get(f"/api/v1/keyword-alerts/{alert.pk}/").status_code == 404
    assert client.delete(f"/api/v1/keyword-alerts/{alert.pk}/").status_code == 404
    answer = client.post(
        "/api/v1/keyword-alerts/", {"unit": org.press.pk, "phrase": "x y z"}, format="json"
    )
    assert answer.status_code == 400


def test_auditor_may_not_delete_an_alert(api_client_for, org: Org, people: People) -> None:
    alert = keyword_alert_create(actor=people.community_manager, unit=org.press, phrase="Bombe")
    assert (
        api_client_for(people.auditor).delete(f"/api/v1/keyword-alerts/{alert.pk}/").status_code
        == 403
    )
    assert KeywordAlert.objects.exists()


def test_community_manager_deletes_an_alert(api_client_for, org: Org, people: People) -> None:
    alert = keyword_alert_create(actor=people.community_manager, unit=org.press, phrase="Bombe")
    answer = api_client_for(people.community_manager).delete(f"/api/v1/keyword-alerts/{alert.pk}/")
    assert answer.status_code == 204
    assert not KeywordAlert.objects.exists()
    assert AuditEntry.objects.filter(action="moderation.flags.keyword_alert_deleted").exists()


def test_lexicon_entry_added_and_removed_audited(api_client_for, org: Org, people: People) -> None:
    client = api_client_for(people.community_manager)
    answer = client.post(
        "/api/v1/lexicon-entries/", {"unit": org.press.pk, "term": "Sesselfurzer*"}, format="json"
    )
    assert answer.status_code == 201, answer.content
    entry = LexiconEntry.objects.get()
    assert client.delete(f"/api/v1/lexicon-entries/{entry.pk}/").status_code == 204
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "moderation.flags.lexicon_entry_added",
        "moderation.flags.lexicon_entry_removed",
    } <= actions


def test_too_short_wildcard_is_refused(api_client_for, org: Org, people: People) -> None:
    answer = api_client_for(people.community_manager).post(
        "/api/v1/lexicon-entries/", {"unit": org.press.pk, "term": "ab*"}, format="json"
    )
    assert answer.status_code == 400
    assert "term" in answer.json()


def test_lexicon_of_another_authority_is_404(api_client_for, org: Org, people: People) -> None:
    entry = lexicon_entry_add(actor=people.community_manager, unit=org.press, term="Sesselfurzer")
    assert (
        api_client_for(people.outsider).delete(f"/api/v1/lexicon-entries/{entry.pk}/").status_code
        == 404
    )


def test_item_flags_listed_with_explanation_and_evidence(
    api_client_for, people: People, flagged: Flag
) -> None:
    answer = api_client_for(people.auditor).get(f"/api/v1/inbox-items/{flagged.item_id}/flags/")
    assert answer.status_code == 200
    [row] = answer.json()
    assert row["kind"] == "insult" and row["code"] == "lexicon"
    assert row["explanation"]
    assert row["evidence"]["terms"][0]["text"] == "Idioten"


def test_item_flags_of_another_authority_are_404(
    api_client_for, people: People, flagged: Flag
) -> None:
    answer = api_client_for(people.outsider).get(f"/api/v1/inbox-items/{flagged.item_id}/flags/")
    assert answer.status_code == 404


def test_community_manager_dismisses_a_flag(api_client_for, people: People, flagged: Flag) -> None:
    client = api_client_for(people.community_manager)
    answer = client.post(f"/api/v1/flags/{flagged.pk}/dismiss/")
    assert answer.status_code == 200
    assert answer.json()["dismissed_at"]
    flagged.refresh_from_db()
    assert flagged.dismissed_by == people.community_manager
    entry = AuditEntry.objects.get(action="moderation.flags.dismissed")
    assert entry.data["code"] == "lexicon"
    assert client.post(f"/api/v1/flags/{flagged.pk}/dismiss/").status_code == 409


def test_auditor_may_not_dismiss(api_client_for, people: People, flagged: Flag) -> None:
    assert (
        api_client_for(people.auditor).post(f"/api/v1/flags/{flagged.pk}/dismiss/").status_code
        == 403
    )
    flagged.refresh_from_db()
    assert flagged.dismissed_at is None


def test_other_authority_may_not_dismiss(api_client_for, people: People, flagged: Flag) -> None:
    assert (
        api_client_for(people.outsider).post(f"/api/v1/flags/{flagged.pk}/dismiss/").status_code
        == 404
    )


def test_anonymous_is_refused() -> None:
    client = APIClient()
    assert client.get("/api/v1/keyword-alerts/").status_code in (401, 403)
    assert client.post("/api/v1/flags/1/dismiss/").status_code in (401, 403)


def test_alert_list_query_count_stays_flat(
    api_client_for, org: Org, people: People, django_assert_max_num_queries
) -> None:
    for index in range(15):
        keyword_alert_create(actor=people.community_manager, unit=org.press, phrase=f"Wort{index}")
    client = api_client_for(people.auditor)
    with django_assert_max_num_queries(10):
        assert len(client.get("/api/v1/keyword-alerts/").json()["results"]) == 15


def test_endpoints_are_in_the_openapi_schema(api_client_for, people: People) -> None:
    paths = api_client_for(people.auditor).get("/api/schema/?format=json").json()["paths"]
    assert {
        "/api/v1/keyword-alerts/",
        "/api/v1/keyword-alerts/{id}/",
        "/api/v1/lexicon-entries/",
        "/api/v1/lexicon-entries/{id}/",
        "/api/v1/inbox-items/{id}/flags/",
        "/api/v1/flags/{id}/dismiss/",
        "/api/v1/insult-classifiers/",
    } <= set(paths)
