# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The Netiquette API."""

from moderation.models import Netiquette
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import NetiquetteFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

DRAFT = {"title": "Netiquette", "preamble": "", "rules": [{"number": 1, "title": "R", "text": "T"}]}


def test_create_update_publish(api_client_for, org: Org, people: People) -> None:
    client = api_client_for(people.community_manager)
    response = client.post("/api/v1/netiquettes/", {**DRAFT, "unit": org.press.pk}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "draft"
    changed = {**DRAFT, "rules": [{"number": 2, "title": "Neu", "text": "Neu."}]}
    response = client.put(f"/api/v1/netiquettes/{pk}/", changed, format="json")
    assert response.json()["rules"][0]["number"] == 2
    response = client.post(f"/api/v1/netiquettes/{pk}/publish/")
    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert response.json()["public_url"].endswith(f"/netiquette/{org.press.pk}/v1/")


def test_a_published_version_cannot_be_updated(api_client_for, org: Org, people: People) -> None:
    netiquette = NetiquetteFactory(unit=org.press)
    client = api_client_for(people.community_manager)
    response = client.put(f"/api/v1/netiquettes/{netiquette.pk}/", DRAFT, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_auditor_reads_but_may_not_write(api_client_for, org: Org, people: People) -> None:
    netiquette = NetiquetteFactory(unit=org.press)
    client = api_client_for(people.auditor)
    assert client.get(f"/api/v1/netiquettes/{netiquette.pk}/").status_code == 200
    response = client.post("/api/v1/netiquettes/", {**DRAFT, "unit": org.press.pk}, format="json")
    assert response.status_code == 403
    draft = Netiquette.objects.create(unit=org.press, version=2)
    assert client.post(f"/api/v1/netiquettes/{draft.pk}/publish/").status_code == 403


def test_outsider_sees_nothing(api_client_for, org: Org, people: People) -> None:
    netiquette = NetiquetteFactory(unit=org.press)
    client = api_client_for(people.outsider)
    assert client.get(f"/api/v1/netiquettes/{netiquette.pk}/").status_code == 404
    assert client.get("/api/v1/netiquettes/").json()["results"] == []
    response = client.post("/api/v1/netiquettes/", {**DRAFT, "unit": org.press.pk}, format="json")
    assert response.status_code == 400


def test_anonymous_is_refused(client, org: Org) -> None:
    assert client.get("/api/v1/netiquettes/").status_code in (401, 403)


def test_patch_changes_part_of_the_draft(api_client_for, org: Org, people: People) -> None:
    client = api_client_for(people.community_manager)
    pk = client.post("/api/v1/netiquettes/", {**DRAFT, "unit": org.press.pk}, format="json").json()[
        "id"
    ]
    response = client.patch(f"/api/v1/netiquettes/{pk}/", {"preamble": "Hallo."}, format="json")
    assert response.status_code == 200
    assert response.json()["preamble"] == "Hallo." and len(response.json()["rules"]) == 1
