# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Evidence API."""

from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_list_and_detail(api_client_for, people: People, record) -> None:
    client = api_client_for(people.auditor)
    listed = client.get("/api/v1/evidence-records/").json()["results"]
    assert [r["id"] for r in listed] == [record.pk]
    detail = client.get(f"/api/v1/evidence-records/{record.pk}/").json()
    assert detail["hash_matches"] is True
    assert detail["content"]["item"]["text"] == "Du bist ein Idiot."


def test_secure_an_item(api_client_for, people: People, item) -> None:
    response = api_client_for(people.community_manager).post(
        "/api/v1/evidence-records/", {"item": item.pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["sha256"]


def test_outsider_cannot_secure_or_read(api_client_for, people: People, item, record) -> None:
    client = api_client_for(people.outsider)
    assert (
        client.post("/api/v1/evidence-records/", {"item": item.pk}, format="json").status_code
        == 400
    )
    assert client.get(f"/api/v1/evidence-records/{record.pk}/").status_code == 404


def test_mark_criminal_and_complaint(api_client_for, people: People, record) -> None:
    client = api_client_for(people.community_manager)
    response = client.post(
        f"/api/v1/evidence-records/{record.pk}/mark-criminal/",
        {"known_since": "2026-01-31"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["prosecution_deadline"] == "2026-04-30"
    again = client.post(f"/api/v1/evidence-records/{record.pk}/mark-criminal/", {}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "invalid_transition"
    response = client.post(
        f"/api/v1/evidence-records/{record.pk}/complaint-filed/", {}, format="json"
    )
    assert response.json()["complaint_filed_at"]


def test_auditor_may_not_write(api_client_for, people: People, record, item) -> None:
    client = api_client_for(people.auditor)
    assert (
        client.post("/api/v1/evidence-records/", {"item": item.pk}, format="json").status_code
        == 403
    )
    assert client.get(f"/api/v1/evidence-records/{record.pk}/pdf/").status_code == 403
    response = client.post(
        f"/api/v1/evidence-records/{record.pk}/mark-criminal/", {}, format="json"
    )
    assert response.status_code == 403


def test_pdf_and_package_downloads(api_client_for, people: People, record) -> None:
    client = api_client_for(people.community_manager)
    pdf = client.get(f"/api/v1/evidence-records/{record.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    package = client.get(f"/api/v1/evidence-records/{record.pk}/package/")
    assert package.status_code == 200 and b'"sha256' not in package.content[:0]


def test_anonymous_is_refused(client, record) -> None:
    assert client.get("/api/v1/evidence-records/").status_code in (401, 403)
