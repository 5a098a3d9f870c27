# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The moderation actions API: stable codes for refusals, permissions."""

from moderation.models import ModerationAction
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

URL = "/api/v1/moderation-actions/"


def test_a_hide_without_rule_is_refused_with_a_stable_code(api_client_for, people, item) -> None:
    response = api_client_for(people.community_manager).post(
        URL, {"item": item.pk, "kind": "hide", "justification": "Beleidigung."}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "rule_required"
    assert response["Error-Code"] == "rule_required"
    assert not ModerationAction.objects.exists()


def test_a_missing_justification_has_its_code(api_client_for, people, item, rule) -> None:
    response = api_client_for(people.community_manager).post(
        URL, {"item": item.pk, "kind": "hide", "rule": rule.pk}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "justification_required"


def test_a_delete_without_reason_has_its_code(api_client_for, people, item, rule) -> None:
    response = api_client_for(people.community_manager).post(
        URL,
        {"item": item.pk, "kind": "delete", "rule": rule.pk, "justification": "Drohung."},
        format="json",
    )
    assert response.json()["code"] == "proportionality_unconfirmed"


def test_a_hide_is_created(api_client_for, people: People, item, rule) -> None:
    response = api_client_for(people.community_manager).post(
        URL,
        {"item": item.pk, "kind": "hide", "rule": rule.pk, "justification": "Beleidigung."},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["evidence"]
    assert body["rule"]["number"] == 1 and body["rule"]["version"] == 1


def test_options_list_the_ladder_and_the_rules(api_client_for, people, item, rule) -> None:
    body = api_client_for(people.auditor).get(f"{URL}options/?item={item.pk}").json()
    kinds = [k["kind"] for k in body["kinds"]]
    assert kinds[:3] == ["no_action", "reply_citing_rule", "hide"]
    assert body["rules"][0]["id"] == rule.pk


def test_auditor_may_not_decide(api_client_for, people, item, rule) -> None:
    response = api_client_for(people.auditor).post(
        URL, {"item": item.pk, "kind": "hide", "rule": rule.pk, "justification": "x"}, format="json"
    )
    assert response.status_code == 403


def test_outsider_sees_no_item(api_client_for, people, item, rule) -> None:
    client = api_client_for(people.outsider)
    response = client.post(
        URL, {"item": item.pk, "kind": "hide", "rule": rule.pk, "justification": "x"}, format="json"
    )
    assert response.status_code == 400
    assert client.get(f"{URL}options/?item={item.pk}").status_code == 404
    assert client.get(URL).json()["results"] == []


def test_anonymous_is_refused(client) -> None:
    assert client.get(URL).status_code in (401, 403)


def test_another_authoritys_rule_is_answered_as_an_unknown_one(
    api_client_for, people, item, org
) -> None:
    from moderation.models import NetiquetteRule
    from tests.moderation.factories import NetiquetteFactory

    police_rule = NetiquetteFactory(unit=org.police).rules.first()
    missing = NetiquetteRule.objects.order_by("-pk").first().pk + 1
    client = api_client_for(people.community_manager)

    def answer(rule_id: int) -> tuple[int, object]:
        body = {"item": item.pk, "kind": "hide", "rule": rule_id, "justification": "Beleidigung."}
        response = client.post(URL, body, format="json")
        return response.status_code, response.json()

    assert answer(police_rule.pk) == answer(missing)
