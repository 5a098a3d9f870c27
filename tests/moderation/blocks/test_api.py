# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The register's API: list (filters, O(page)), detail, create, review, lift, objections and
their decision; community managers act, auditors read (403 on writes), another authority
gets 404 (400 for an item it names), anonymous 401/403; every endpoint in the schema."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from accounts.models import User
from moderation.blocks.services import block_appeal_record
from moderation.evidence.services import evidence_record
from moderation.models import BlockAppeal
from moderation.models import BlockEntry
from moderation.models import EvidenceRecord
from moderation.models import InboxItem
from moderation.models import ModerationAction
from moderation.models import NetiquetteRule
from tests.conftest import People
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.moderation.factories import NetiquetteFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

API = "/api/v1/blocks/"
WHY_NOT_HIDING = "Droht wiederholt, auch nach verborgenen Kommentaren."


def url(block: BlockEntry, action: str = "") -> str:
    return f"{API}{block.pk}/{action}"


def test_the_list_shows_active_blocks_to_an_auditor(
    api_client_for, people: People, block: BlockEntry
) -> None:  # type: ignore[no-untyped-def]
    results = api_client_for(people.auditor).get(API).json()["results"]
    assert [r["id"] for r in results] == [block.pk]
    entry = results[0]
    assert entry["author"]["handle"] == "@wutbuerger"
    assert entry["rule"]["number"] == 1
    assert entry["rule"]["netiquette_version"] == 1
    assert entry["platform_status"] == "pending"
    assert entry["review_due_on"] == block.review_due_on.isoformat()


def test_the_list_filters_by_status_and_channel(
    api_client_for, people: People, block: BlockEntry, org, make_block
) -> None:  # type: ignore[no-untyped-def]
    other = make_block(InboxItemFactory(channel=org.social_channel))
    BlockEntry.objects.filter(pk=block.pk).update(review_due_on=timezone.localdate())
    client = api_client_for(people.community_manager)
    due = client.get(API, {"status": "due"}).json()["results"]
    assert [r["id"] for r in due] == [block.pk]
    by_channel = client.get(API, {"channel": org.social_channel.pk}).json()["results"]
    assert [r["id"] for r in by_channel] == [other.pk]
    assert client.get(API, {"status": "lifted"}).json()["results"] == []


def test_the_list_stays_o_page(
    api_client_for, people: People, mastodon, make_block, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(15):
        make_block(InboxItemFactory(channel=mastodon))
    client = api_client_for(people.auditor)
    with django_assert_max_num_queries(12):
        response = client.get(API, {"status": "all"})
    assert response.json()["count"] == 15


def test_another_authority_sees_nothing_and_gets_404(
    api_client_for, people: People, block: BlockEntry
) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for(people.outsider)
    assert client.get(API).json()["results"] == []
    assert client.get(url(block)).status_code == 404
    for action in ("review/", "lift/", "appeals/", "platform-retry/", "platform-confirm/"):
        assert client.post(url(block, action), {}, format="json").status_code == 404, action


def test_anonymous_is_refused(client: Client, block: BlockEntry) -> None:
    assert client.get(API).status_code in (401, 403)
    assert client.post(url(block, "lift/"), {"reason": "x"}).status_code in (401, 403)
    assert BlockEntry.objects.get(pk=block.pk).status == "active"


def test_a_community_manager_blocks_through_the_api(
    api_client_for, people: People, item: InboxItem, rule: NetiquetteRule
) -> None:  # type: ignore[no-untyped-def]
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = api_client_for(people.community_manager).post(
        API,
        {
            "item": item.pk,
            "rule": rule.pk,
            "justification": "Drohung.",
            "why_not_milder": WHY_NOT_HIDING,
            "review_due_on": due,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["review_due_on"] == due
    assert body["evidence"] == EvidenceRecord.objects.get(item=item).pk
    assert body["reviews"] == []


def test_blocking_with_an_existing_evidence_record(
    api_client_for, people: People, item: InboxItem, rule: NetiquetteRule, evidence
) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.community_manager).post(
        API,
        {
            "item": item.pk,
            "rule": rule.pk,
            "justification": "Drohung.",
            "why_not_milder": WHY_NOT_HIDING,
            "evidence": evidence.pk,
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["evidence"] == evidence.pk
    assert EvidenceRecord.objects.count() == 1


def test_a_block_through_the_register_api_is_a_moderation_decision(
    api_client_for, people: People, item: InboxItem, rule: NetiquetteRule
) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.community_manager).post(
        API,
        {
            "item": item.pk,
            "rule": rule.pk,
            "justification": "Drohung.",
            "why_not_milder": WHY_NOT_HIDING,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    decision = ModerationAction.objects.get(item=item)
    assert decision.kind == ModerationAction.Kind.BLOCK
    assert (decision.rule, decision.justification) == (rule, "Drohung.")
    assert decision.why_not_milder == WHY_NOT_HIDING
    assert decision.evidence_id == response.json()["evidence"]
    assert decision.details == {"block": response.json()["id"]}


@pytest.mark.parametrize(
    "change, code",
    [
        ({"rule": None}, "rule_required"),
        ({"justification": " "}, "justification_required"),
        ({"why_not_milder": ""}, "proportionality_unconfirmed"),
        ({"why_not_milder": "Zu kurz."}, "proportionality_unconfirmed"),
    ],
)
def test_register_api_refusals_carry_the_codes_of_the_actions_route(
    api_client_for, people: People, item: InboxItem, rule: NetiquetteRule, change, code
) -> None:  # type: ignore[no-untyped-def]
    data = {
        "item": item.pk,
        "rule": rule.pk,
        "justification": "Drohung.",
        "why_not_milder": WHY_NOT_HIDING,
        **change,
    }
    response = api_client_for(people.community_manager).post(API, data, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not BlockEntry.objects.exists()
    assert not EvidenceRecord.objects.exists()


def test_a_rule_of_a_superseded_version_is_rule_required_on_the_register_api(
    api_client_for, org, people: People, item: InboxItem, rule: NetiquetteRule
) -> None:  # type: ignore[no-untyped-def]
    NetiquetteFactory(unit=org.city, version=2)
    data = {
        "item": item.pk,
        "rule": rule.pk,
        "justification": "Drohung.",
        "why_not_milder": WHY_NOT_HIDING,
    }
    response = api_client_for(people.community_manager).post(API, data, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "rule_required")


def test_a_second_active_block_is_a_conflict(
    api_client_for, people: People, item: InboxItem, rule: NetiquetteRule, block: BlockEntry
) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.community_manager).post(
        API,
        {
            "item": item.pk,
            "rule": rule.pk,
            "justification": "Nochmal.",
            "why_not_milder": WHY_NOT_HIDING,
        },
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_an_auditor_may_not_write(
    api_client_for, people: People, item: InboxItem, rule: NetiquetteRule, block: BlockEntry
) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for(people.auditor)
    create = {"item": item.pk, "rule": rule.pk, "justification": "x"}
    assert client.post(API, create, format="json").status_code == 403
    assert (
        client.post(url(block, "review/"), {"justification": "x"}, format="json").status_code == 403
    )
    assert client.post(url(block, "lift/"), {"reason": "x"}, format="json").status_code == 403
    appeal = {"text": "x", "received_on": timezone.localdate().isoformat()}
    assert client.post(url(block, "appeals/"), appeal, format="json").status_code == 403
    assert client.post(url(block, "platform-confirm/"), {}, format="json").status_code == 403
    assert BlockEntry.objects.get(pk=block.pk).status == "active"


def test_another_authority_cannot_name_the_citys_item(
    api_client_for, people: People, item: InboxItem, rule: NetiquetteRule
) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.outsider).post(
        API, {"item": item.pk, "rule": rule.pk, "justification": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "item" in response.json()


def _missing(model) -> int:  # type: ignore[no-untyped-def]
    """An id no row of the model has."""
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() + 1


def _answer(client, **fields):  # type: ignore[no-untyped-def]
    response = client.post(
        API,
        {"justification": "Drohung.", "why_not_milder": WHY_NOT_HIDING, **fields},
        format="json",
    )
    return response.status_code, response.json()


def test_another_authoritys_rule_is_answered_as_an_unknown_one(
    api_client_for, org, people: People, item: InboxItem, rule: NetiquetteRule
) -> None:  # type: ignore[no-untyped-def]
    police_rule = NetiquetteFactory(unit=org.police).rules.first()
    client = api_client_for(people.community_manager)
    foreign = _answer(client, item=item.pk, rule=police_rule.pk)
    assert foreign == _answer(client, item=item.pk, rule=_missing(NetiquetteRule))
    assert foreign[0] == 400
    assert not BlockEntry.objects.exists()


def test_another_authoritys_evidence_record_is_answered_as_an_unknown_one(
    api_client_for, org, people: People, item: InboxItem, rule: NetiquetteRule
) -> None:  # type: ignore[no-untyped-def]
    police_item = InboxItemFactory(channel=org.police_channel)
    police_manager = UserFactory(roles=[(org.police, Role.COMMUNITY_MANAGER)])
    police_evidence = evidence_record(actor=police_manager, item=police_item)
    client = api_client_for(people.community_manager)
    foreign = _answer(client, item=item.pk, rule=rule.pk, evidence=police_evidence.pk)
    assert foreign == _answer(client, item=item.pk, rule=rule.pk, evidence=_missing(EvidenceRecord))
    assert foreign[0] == 400
    assert not BlockEntry.objects.exists()


def test_another_authoritys_item_is_answered_as_an_unknown_one(
    api_client_for, org, people: People, item: InboxItem, rule: NetiquetteRule
) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for(people.outsider)
    foreign = _answer(client, item=item.pk, rule=rule.pk)
    assert foreign == _answer(client, item=_missing(InboxItem), rule=rule.pk)
    assert foreign[0] == 400


def test_the_entry_names_the_decision_it_rests_on(
    api_client_for, people: People, block: BlockEntry
) -> None:  # type: ignore[no-untyped-def]
    body = api_client_for(people.auditor).get(url(block)).json()
    decision = ModerationAction.objects.get(kind=ModerationAction.Kind.BLOCK)
    assert body["decision"] == {"id": decision.pk, "why_not_milder": decision.why_not_milder}


def test_review_and_lift_through_the_api(api_client_for, people: People, block: BlockEntry) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for(people.community_manager)
    reviewed = client.post(url(block, "review/"), {"justification": "Weiter nötig."}, format="json")
    assert reviewed.status_code == 200
    assert reviewed.json()["reviews"][0]["justification"] == "Weiter nötig."
    lifted = client.post(url(block, "lift/"), {"reason": "Entschuldigt."}, format="json")
    assert lifted.status_code == 200
    assert (lifted.json()["status"], lifted.json()["lift_reason"]) == ("lifted", "Entschuldigt.")
    again = client.post(url(block, "lift/"), {"reason": "Nochmal."}, format="json")
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_transition"


def test_objections_are_recorded_and_decided_by_a_second_person(
    api_client_for, people: People, block: BlockEntry, second_manager: User, third_manager: User
) -> None:  # type: ignore[no-untyped-def]
    recorded = api_client_for(second_manager).post(
        url(block, "appeals/"),
        {"text": "Bitte entsperren.", "received_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert recorded.status_code == 201, recorded.content
    appeal_id = recorded.json()["id"]
    listed = api_client_for(people.auditor).get(url(block, "appeals/")).json()["results"]
    assert [a["id"] for a in listed] == [appeal_id]
    decide = f"/api/v1/block-appeals/{appeal_id}/decide/"
    decision = {"decision": "lifted", "reason": "Unverhältnismäßig."}
    for same_person in (people.community_manager, second_manager):
        assert api_client_for(same_person).post(decide, decision, format="json").status_code == 403
    assert api_client_for(people.auditor).post(decide, decision, format="json").status_code == 403
    assert api_client_for(people.outsider).post(decide, decision, format="json").status_code == 404
    decided = api_client_for(third_manager).post(decide, decision, format="json")
    assert decided.status_code == 200
    assert decided.json()["decision"] == "lifted"
    assert BlockEntry.objects.get(pk=block.pk).status == "lifted"


def test_a_decision_without_a_reason_is_refused(
    api_client_for, block: BlockEntry, second_manager: User, third_manager: User
) -> None:  # type: ignore[no-untyped-def]
    appeal = block_appeal_record(
        actor=second_manager, block=block, text="Bitte.", received_on=timezone.localdate()
    )
    response = api_client_for(third_manager).post(
        f"/api/v1/block-appeals/{appeal.pk}/decide/", {"decision": "upheld"}, format="json"
    )
    assert response.status_code == 400
    assert BlockAppeal.objects.get(pk=appeal.pk).decision == "open"


def test_the_register_is_in_the_openapi_schema(
    people: People, client_for: Callable[[User], Client]
) -> None:
    response = client_for(people.community_manager).get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = response.json()["paths"]
    for path in (
        "/api/v1/blocks/",
        "/api/v1/blocks/{id}/",
        "/api/v1/blocks/{id}/review/",
        "/api/v1/blocks/{id}/lift/",
        "/api/v1/blocks/{id}/appeals/",
        "/api/v1/blocks/{id}/platform-retry/",
        "/api/v1/blocks/{id}/platform-confirm/",
        "/api/v1/block-appeals/{id}/decide/",
    ):
        assert path in paths, path
    assert {"get", "post"} <= set(paths["/api/v1/blocks/"])
    assert {"get", "post"} <= set(paths["/api/v1/blocks/{id}/appeals/"])
