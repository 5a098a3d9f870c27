"""The editorial part of the starter library (issue 15): the social-media guideline, the
crisis communication checklist, the pre-approved emergency templates, the post templates a
practice space starts with and the weekly rhythm of the Redaktionsplan, shipped as files in
``library/`` (format: ``accounts.starters``)."""

from __future__ import annotations

import re
from pathlib import Path

from accounts.starters import Starter
from accounts.starters import load_starter
from editorial.models import UnitDocument

LIBRARY = Path(__file__).resolve().parent / "library"

DOCUMENT_FILES = {
    UnitDocument.Kind.GUIDELINE: "leitfaden.md",
    UnitDocument.Kind.CRISIS_CHECKLIST: "krisencheckliste.md",
}

# A step's line may begin with a list mark or a number ("- ", "* ", "3. ", "3) ").
_STEP_MARK = re.compile(r"^\s*(?:[-*•]|\d{1,3}[.)])\s+")


def document_starter(kind: str) -> Starter:
    return load_starter(LIBRARY / DOCUMENT_FILES[UnitDocument.Kind(kind)])


def emergency_templates_starter() -> Starter:
    return load_starter(LIBRARY / "notfallvorlagen.json")


def post_templates_starter() -> Starter:
    """The ordinary post templates a practice space starts with."""
    return load_starter(LIBRARY / "vorlagen.json")


def rhythm_starter() -> Starter:
    return load_starter(LIBRARY / "redaktionsplan.json")


def checklist_steps(body: str) -> list[str]:
    """The steps of a checklist text: one per non-empty line, without list marks; lines
    starting with ``#`` are headings, not steps."""
    steps = []
    for line in body.splitlines():
        text = _STEP_MARK.sub("", line).strip()
        if text and not text.startswith("#"):
            steps.append(text)
    return steps
