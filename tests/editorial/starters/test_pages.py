# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The starter library's pages and API: a unit's overview, its documents, adopting."""

from __future__ import annotations

from django.test import Client
from rest_framework.test import APIClient

from editorial.models import CalendarSlot
from editorial.models import PostTemplate
from editorial.models import UnitDocument
from editorial.models import WeeklyFormat
from editorial.starters.services import document_adopt
from editorial.templatetags.unit_documents import unit_markdown
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

GUIDELINE = UnitDocument.Kind.GUIDELINE
CHECKLIST = UnitDocument.Kind.CRISIS_CHECKLIST


def test_the_units_overview_opens_for_an_editor(org: Org, people: People) -> None:
    response = login(Client(), people.editor).get(f"/editorial/starters/units/{org.press.pk}/")
    assert response.status_code == 200


def test_the_overview_offers_adopting_to_a_system_admin(org: Org, people: People) -> None:
    client = login(Client(), people.system_admin)
    response = client.get(f"/editorial/starters/units/{org.press.pk}/")
    assert f"/editorial/starters/units/{org.press.pk}/guideline/adopt/" in response.content.decode()


def test_the_overview_offers_no_adopting_to_an_editor(org: Org, people: People) -> None:
    response = login(Client(), people.editor).get(f"/editorial/starters/units/{org.press.pk}/")
    assert "/guideline/adopt/" not in response.content.decode()


def test_adopting_on_the_page_leads_to_the_editor(org: Org, people: People) -> None:
    client = login(Client(), people.system_admin)
    response = client.post(f"/editorial/starters/units/{org.press.pk}/guideline/adopt/")
    assert response["Location"] == f"/editorial/starters/units/{org.press.pk}/guideline/edit/"


def test_editing_on_the_page_saves_the_text(org: Org, people: People) -> None:
    document = document_adopt(actor=people.system_admin, unit=org.press, kind=GUIDELINE)
    login(Client(), people.system_admin).post(
        f"/editorial/starters/units/{org.press.pk}/guideline/edit/",
        {"title": "Leitfaden Presseamt", "body": "Unser Text"},
    )
    document.refresh_from_db()
    assert (document.title, document.body) == ("Leitfaden Presseamt", "Unser Text\n")


def test_the_checklist_page_lists_its_steps(org: Org, people: People) -> None:
    document_adopt(actor=people.system_admin, unit=org.press, kind=CHECKLIST)
    client = login(Client(), people.approver)
    response = client.get(f"/editorial/starters/units/{org.press.pk}/crisis_checklist/")
    assert response.content.decode().count("<li>Lage erfassen") == 1


def test_an_unknown_document_kind_is_not_found(org: Org, people: People) -> None:
    client = login(Client(), people.system_admin)
    assert client.get(f"/editorial/starters/units/{org.press.pk}/rezepte/").status_code == 404


def test_the_page_adopts_the_emergency_templates(org: Org, people: People) -> None:
    client = login(Client(), people.channel_admin)
    client.post(f"/editorial/starters/units/{org.press.pk}/emergency-templates/")
    assert PostTemplate.objects.filter(unit=org.press, is_emergency=True).count() == 6


def test_the_page_plans_the_rhythm(org: Org, people: People) -> None:
    client = login(Client(), people.editor)
    client.post(
        f"/editorial/starters/units/{org.press.pk}/rhythm/", {"start": "2027-01-04", "weeks": "1"}
    )
    first_week = CalendarSlot.objects.filter(
        unit=org.press, day__gte="2027-01-04", day__lte="2027-01-10"
    )
    assert first_week.count() == 4
    assert WeeklyFormat.objects.filter(unit=org.press).count() == 4


def test_the_api_adopts_a_document_with_201(org: Org, people: People) -> None:
    client = login(APIClient(), people.system_admin)
    response = client.post(
        "/api/v1/starters/adopt/", {"unit": org.press.pk, "starter": CHECKLIST}, format="json"
    )
    assert (response.status_code, bool(response.json()["document"]["steps"])) == (201, True)


def test_the_api_answers_409_when_the_unit_has_the_document(org: Org, people: People) -> None:
    document_adopt(actor=people.system_admin, unit=org.press, kind=GUIDELINE)
    client = login(APIClient(), people.system_admin)
    response = client.post(
        "/api/v1/starters/adopt/", {"unit": org.press.pk, "starter": GUIDELINE}, format="json"
    )
    assert response.status_code == 409


def test_the_api_changes_a_document(org: Org, people: People) -> None:
    document = document_adopt(actor=people.system_admin, unit=org.press, kind=GUIDELINE)
    client = login(APIClient(), people.system_admin)
    response = client.patch(
        f"/api/v1/unit-documents/{document.pk}/", {"title": "Neu"}, format="json"
    )
    assert response.json()["title"] == "Neu"


def test_the_api_lists_no_document_of_another_authority(org: Org, people: People) -> None:
    document_adopt(actor=people.system_admin, unit=org.press, kind=GUIDELINE)
    response = login(APIClient(), people.outsider).get("/api/v1/unit-documents/")
    assert response.json()["results"] == []


def test_the_guideline_page_renders_headings_and_escapes_markup(org: Org, people: People) -> None:
    document = document_adopt(actor=people.system_admin, unit=org.press, kind=GUIDELINE)
    document.body = "## Ziele\n\n<script>alert(1)</script>\n"
    document.save()
    client = login(Client(), people.editor)
    body = client.get(f"/editorial/starters/units/{org.press.pk}/guideline/").content.decode()
    assert "<h2>Ziele</h2>" in body and "<script>alert(1)" not in body


def test_a_document_body_with_its_own_title_moves_its_headings_one_level_down() -> None:
    """The page's <h1> is the document's title: a text's own "# …" becomes an <h2>."""
    html = unit_markdown("# Leitfaden\n\n## Ziele\n\n###### Klein\n\n<script>x</script>")
    assert "<h1>" not in html
    assert "<h2>Leitfaden</h2>" in html and "<h3>Ziele</h3>" in html
    assert "<h6>Klein</h6>" in html
    assert "<script>" not in html
