# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Adopting the starter library in a unit: copies, never overwrites, audited."""

from __future__ import annotations

import itertools
from datetime import date
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import AuditEntry
from editorial.crisis.selectors import crisis_checklist_steps
from editorial.models import CalendarSlot
from editorial.models import PostTemplate
from editorial.models import UnitDocument
from editorial.models import WeeklyFormat
from editorial.starters.library import checklist_steps
from editorial.starters.library import document_starter
from editorial.starters.services import StarterAlreadyAdoptedError
from editorial.starters.services import document_adopt
from editorial.starters.services import document_update
from editorial.starters.services import emergency_templates_adopt
from editorial.starters.services import rhythm_adopt
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

GUIDELINE = UnitDocument.Kind.GUIDELINE
CHECKLIST = UnitDocument.Kind.CRISIS_CHECKLIST
MONDAY = date(2027, 1, 4)


def test_adopting_the_guideline_copies_the_library_text(org: Org, people: People) -> None:
    document = document_adopt(actor=people.system_admin, unit=org.press, kind=GUIDELINE)
    assert document.body == document_starter(GUIDELINE).body


def test_adopting_a_document_is_audited(org: Org, people: People) -> None:
    document = document_adopt(actor=people.system_admin, unit=org.press, kind=GUIDELINE)
    entry = AuditEntry.objects.get(action="editorial.document.adopted")
    assert (entry.target_id, entry.unit_id) == (str(document.pk), org.press.pk)


def test_adopting_again_never_overwrites_the_units_copy(org: Org, people: People) -> None:
    document = document_adopt(actor=people.system_admin, unit=org.press, kind=GUIDELINE)
    document_update(actor=people.system_admin, document=document, title="Eigen", body="Unser Text")
    with pytest.raises(StarterAlreadyAdoptedError):
        document_adopt(actor=people.system_admin, unit=org.press, kind=GUIDELINE)


def test_an_editor_may_not_adopt_a_document(org: Org, people: People) -> None:
    with pytest.raises(PermissionDenied):
        document_adopt(actor=people.editor, unit=org.press, kind=GUIDELINE)


def test_another_authoritys_admin_may_not_adopt_a_document(org: Org, people: People) -> None:
    with pytest.raises(PermissionDenied):
        document_adopt(actor=people.outsider, unit=org.press, kind=GUIDELINE)


def test_changing_a_document_keeps_the_text_before_in_the_audit(org: Org, people: People) -> None:
    document = document_adopt(actor=people.system_admin, unit=org.press, kind=GUIDELINE)
    document_update(actor=people.system_admin, document=document, title="Leitfaden", body="Neu")
    entry = AuditEntry.objects.get(action="editorial.document.updated")
    assert entry.data["before"]["body"] == document_starter(GUIDELINE).body


def test_checklist_steps_drop_list_marks_and_headings() -> None:
    assert checklist_steps("# Lage\n- Erfassen\n\n2. Pausieren\n") == ["Erfassen", "Pausieren"]


def test_a_unit_without_a_checklist_drills_the_library_steps(org: Org) -> None:
    expected = checklist_steps(document_starter(CHECKLIST).body)
    assert crisis_checklist_steps(org.social) == expected


def test_a_unit_inherits_the_checklist_of_the_unit_above(org: Org, people: People) -> None:
    document = document_adopt(actor=people.system_admin, unit=org.press, kind=CHECKLIST)
    document_update(actor=people.system_admin, document=document, title="K", body="Eins\nZwei")
    assert crisis_checklist_steps(org.social) == ["Eins", "Zwei"]


def test_emergency_templates_are_adopted_as_emergency_templates(org: Org, people: People) -> None:
    created = emergency_templates_adopt(actor=people.channel_admin, unit=org.press)
    assert created and all(t.is_emergency for t in created)


def test_adopting_emergency_templates_leaves_a_changed_one_alone(org: Org, people: People) -> None:
    emergency_templates_adopt(actor=people.channel_admin, unit=org.press)
    PostTemplate.objects.filter(unit=org.press, name="Stromausfall").update(text="Eigener Text")
    emergency_templates_adopt(actor=people.channel_admin, unit=org.press)
    assert PostTemplate.objects.get(unit=org.press, name="Stromausfall").text == "Eigener Text"


def test_an_editor_may_not_adopt_emergency_templates(org: Org, people: People) -> None:
    with pytest.raises(PermissionDenied):
        emergency_templates_adopt(actor=people.editor, unit=org.press)


def test_the_rhythm_plans_a_weekly_preview_every_monday(org: Org, people: People) -> None:
    rhythm_adopt(actor=people.editor, unit=org.press, start=MONDAY, weeks=2)
    days = sorted(
        CalendarSlot.objects.filter(unit=org.press, title="Wochenvorschau").values_list(
            "day", flat=True
        )
    )
    # From the start on, at least the weeks asked for (the horizon may plan further).
    assert days[:2] == [MONDAY, date(2027, 1, 11)]
    assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(days))


def test_the_rhythm_becomes_the_units_standing_weekly_formats(org: Org, people: People) -> None:
    rhythm_adopt(actor=people.editor, unit=org.press, start=MONDAY, weeks=1)
    formats = WeeklyFormat.objects.filter(unit=org.press)
    assert sorted(formats.values_list("weekday", "title")) == [
        (0, "Wochenvorschau"),
        (2, "Service-Tipp"),
        (3, "Blick hinter die Kulissen"),
        (4, "Veranstaltungen am Wochenende"),
    ]
    assert {f.starts_on for f in formats} == {MONDAY}
    assert not any(f.is_paused for f in formats)


def test_adopting_the_rhythm_twice_plans_nothing_twice(org: Org, people: People) -> None:
    rhythm_adopt(actor=people.editor, unit=org.press, start=MONDAY, weeks=1)
    assert rhythm_adopt(actor=people.editor, unit=org.press, start=MONDAY, weeks=1) == []


def test_a_system_admin_without_editor_role_may_not_plan_the_rhythm(
    org: Org, people: People
) -> None:
    with pytest.raises(PermissionDenied):
        rhythm_adopt(actor=people.system_admin, unit=org.press, start=MONDAY)
