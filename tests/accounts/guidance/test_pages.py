# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The guide pages, the "?" help of each page, the checklist page and dashboard panel, the
training records and their download (audited, formulas neutralised)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from accounts.audit import audit_log
from accounts.guidance.checklists import ITEMS
from accounts.guidance.guides import GUIDES
from accounts.guidance.guides import HELP_SECTIONS
from accounts.guidance.guides import guide_anchors
from accounts.guidance.guides import guide_render
from accounts.models import AuditEntry
from accounts.models import Role
from accounts.models import User
from tests.accounts.guidance.conftest import practice_space
from tests.conftest import Org
from tests.conftest import People
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ClientFor = Callable[[User], Client]


@pytest.fixture(autouse=True)
def _english() -> None:
    # New strings: the lead translates them after this; assert on the English source.
    translation.activate("en")


@pytest.mark.parametrize("name", GUIDES)
def test_each_role_guide_is_served(name: str, people: People, client_for: ClientFor) -> None:
    response = client_for(people.editor).get(f"/guide/{name}/")
    assert response.status_code == 200
    assert f'data-guide="{name}"' in response.content.decode()


def test_the_guide_index_links_to_the_role_guides_in_the_product(
    people: People, client_for: ClientFor
) -> None:
    html = client_for(people.editor).get("/guide/").content.decode()
    assert 'href="/guide/editor/"' in html
    assert ".md" not in html.split("<article", 1)[1].split("Für die Entwicklung")[0]


def test_an_unknown_guide_is_not_found(people: People, client_for: ClientFor) -> None:
    assert client_for(people.editor).get("/guide/secrets/").status_code == 404


def test_the_guides_need_a_login(client: Client) -> None:
    assert client.get("/guide/editor/").status_code == 302


def test_headings_carry_anchors_and_images_come_from_static() -> None:
    _title, body = guide_render("editor")
    assert '<h2 id="so-schreiben-sie-einen-beitrag">' in body
    assert 'src="/static/guide/img/editor-03-neuer-beitrag.png"' in body
    assert 'src="img/' not in body


def test_raw_html_in_a_guide_is_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    from accounts.guidance import guides

    monkeypatch.setattr(
        guides,
        "_source",
        lambda name: "# T\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))",
    )
    _title, body = guides.guide_render("editor")
    assert "<script>" not in body
    assert 'href="javascript:' not in body


def test_every_help_section_exists() -> None:
    sections = {*HELP_SECTIONS.values(), *(item.help for item in ITEMS.values() if item.help)}
    for section in sections:
        name, _hash, anchor = section.partition("#")
        assert name in (*GUIDES, "README"), section
        if anchor:
            assert anchor in guide_anchors(name), section


def test_the_help_link_opens_the_section_of_the_page(people: People, client_for: ClientFor) -> None:
    html = client_for(people.auditor).get("/audit/").content.decode()
    assert 'class="help-link"' in html
    assert 'href="/guide/auditor/#so-öffnen-sie-das-audit-protokoll"' in html


@pytest.mark.parametrize(
    ("user", "url", "section"),
    [
        ("editor", "/accounts/practice/", "editor/#so-üben-sie-im-übungsmodus"),
        ("editor", "/guide/checklist/", "editor/#so-arbeiten-sie-ihre-einarbeitungs-checkliste-ab"),
        ("auditor", "/guide/training/", "auditor/#so-exportieren-sie-die-schulungsnachweise"),
        (
            "system_admin",
            "/editorial/crisis/drills/",
            "system-admin/#so-führen-sie-eine-krisenübung-durch",
        ),
    ],
)
def test_practice_checklist_training_and_drill_pages_open_their_section(
    people: People, client_for: ClientFor, user: str, url: str, section: str
) -> None:
    response = client_for(getattr(people, user)).get(url)
    assert response.status_code == 200
    assert f'href="/guide/{section}"' in response.content.decode()


def test_without_a_section_the_help_link_opens_the_guide_of_the_role(
    people: People, client_for: ClientFor
) -> None:
    html = client_for(people.approver).get("/accounts/profile/").content.decode()
    assert 'class="help-link" href="/guide/approver/"' in html or (
        'href="/guide/approver/" class="help-link"' in html
    )


def test_the_help_link_has_an_accessible_name(people: People, client_for: ClientFor) -> None:
    html = client_for(people.editor).get("/").content.decode()
    link = html.split('class="help-link"', 1)[1].split("</a>", 1)[0]
    assert '<span aria-hidden="true">?</span>' in link
    assert (
        '<span class="visually-hidden">Hilfe zu dieser Seite</span>' in link
    )  # the editor's language


def test_the_checklist_page_shows_progress(people: People, client_for: ClientFor) -> None:
    unit = practice_space(people.editor, Role.EDITOR)
    audit_log(action="editorial.post.created", actor=people.editor, unit=unit)
    html = client_for(people.editor).get("/guide/checklist/").content.decode()
    assert 'data-done="1" data-total="3"' in html
    assert 'data-item="editor.first_draft" data-done="true"' in html
    assert 'data-item="editor.use_template" data-done="false"' in html
    assert 'href="/guide/editor/#so-schreiben-sie-einen-beitrag"' in html


def test_the_dashboard_shows_the_checklist_until_it_is_done(
    people: People, client_for: ClientFor
) -> None:
    client = client_for(people.approver)
    assert 'data-panel="checklist"' in client.get("/").content.decode()
    unit = practice_space(people.approver, Role.APPROVER)
    audit_log(
        action="editorial.post.approval_given",
        actor=people.approver,
        unit=unit,
        data={"comment": "ok"},
    )
    audit_log(
        action="editorial.post.rejected", actor=people.approver, unit=unit, data={"reason": "nein"}
    )
    assert 'data-panel="checklist"' not in client.get("/").content.decode()


def test_the_records_list_the_people_of_the_admins_units(
    org: Org, people: People, client_for: ClientFor
) -> None:
    html = client_for(people.system_admin).get("/guide/training/").content.decode()
    assert f'data-person="{people.editor.pk}"' in html
    assert f'data-person="{people.outsider.pk}"' not in html


def test_the_records_are_refused_to_an_editor(people: People, client_for: ClientFor) -> None:
    assert client_for(people.editor).get("/guide/training/").status_code == 403


def test_another_authoritys_person_is_not_found(people: People, client_for: ClientFor) -> None:
    client = client_for(people.outsider)
    assert client.get(f"/guide/training/{people.editor.pk}/").status_code == 404
    assert client_for(people.auditor).get(f"/guide/training/{people.editor.pk}/").status_code == 200


def _record_with_formula(people: People) -> None:
    people.editor.full_name = "=HYPERLINK(1)"
    people.editor.save()
    unit = practice_space(people.editor, Role.EDITOR)
    audit_log(action="editorial.post.created", actor=people.editor, unit=unit)


def test_the_csv_export_is_the_proof_of_instruction(
    org: Org, people: People, client_for: ClientFor
) -> None:
    _record_with_formula(people)
    response = client_for(people.auditor).get(f"/guide/training/?unit={org.press.pk}&format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["person", "email", "role", "item", "task", "completed_at"]
    editor_rows = [row for row in rows if row[1] == people.editor.email]
    assert {row[3] for row in editor_rows} == {
        "editor.first_draft",
        "editor.submit_for_review",
        "editor.use_template",
    }
    done = next(row for row in editor_rows if row[3] == "editor.first_draft")
    assert done[0] == "'=HYPERLINK(1)"
    assert done[5] != ""
    assert all(row[1] != people.outsider.email for row in rows)


def test_the_xlsx_export_is_audited(org: Org, people: People, client_for: ClientFor) -> None:
    _record_with_formula(people)
    response = client_for(people.system_admin).get("/guide/training/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=HYPERLINK(1)" in values
    entry = AuditEntry.objects.filter(action="accounts.training.exported").get()
    assert entry.actor == people.system_admin
    assert entry.data["format"] == "xlsx"


def test_a_person_without_a_role_in_scope_is_left_out(
    people: People, client_for: ClientFor
) -> None:
    loner = UserFactory(email="ohne@stadt.example")
    html = client_for(people.system_admin).get("/guide/training/").content.decode()
    assert f'data-person="{loner.pk}"' not in html


def test_an_audit_log_download_is_audited(org: Org, people: People, client_for: ClientFor) -> None:
    response = client_for(people.auditor).get(f"/audit/?unit={org.press.pk}&format=csv")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="accounts.audit.exported")
    assert (entry.actor, entry.unit, entry.data) == (people.auditor, org.press, {"format": "csv"})
    assert people.auditor.training_completions.filter(item="auditor.export_audit_log").exists()


def test_the_first_reading_of_the_audit_log_ticks_the_auditors_item(
    people: People, client_for: ClientFor
) -> None:
    client = client_for(people.auditor)
    assert client.get("/audit/").status_code == 200
    assert client.get("/audit/").status_code == 200
    entry = AuditEntry.objects.get(action="accounts.audit.viewed")  # the first reading only
    assert entry.actor == people.auditor
    done = set(people.auditor.training_completions.values_list("item", flat=True))
    assert done == {"auditor.read_audit_log"}
