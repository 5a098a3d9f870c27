"""Shared fixtures of the flags tests: items on the press office's and the social media
team's channels, a keyword alert maker, and small GermEval-format files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from moderation.flags.selectors import forget_loaded_model
from moderation.models import InboxItem
from tests.conftest import Org
from tests.moderation.factories import InboxItemFactory

OFFENSIVE = [
    "Ihr seid doch alle komplett unfähige Idioten",
    "Was für ein dummes Pack von Versagern und Lügnern",
    "Halt die Klappe du Vollidiot",
    "Diese Stümper gehören aus dem Amt gejagt, Idioten",
    "Lügner und Versager, alle miteinander",
    "So ein Schwachsinn von diesen Trotteln",
    "Ihr Idioten habt doch keine Ahnung",
    "Versager! Unfähige Versager im Rathaus",
    "Die Trottel im Amt lügen doch nur",
    "Dumme Lügner seid ihr",
]
HARMLESS = [
    "Wann öffnet das Bürgerbüro am Samstag?",
    "Vielen Dank für die schnelle Antwort",
    "Gilt die Sperrung auch am Wochenende?",
    "Tolle Aktion, weiter so!",
    "Wo finde ich das Formular für den Parkausweis?",
    "Danke für die Informationen zum Stadtfest",
    "Ist der Wertstoffhof morgen geöffnet?",
    "Schöne Bilder vom Markt heute",
    "Wie lange dauert die Baustelle noch?",
    "Gibt es noch Karten für das Konzert?",
]


def write_germeval(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text(
        "".join(
            f"{text}\t{label}\t{'INSULT' if label == 'OFFENSE' else 'OTHER'}\n"
            for text, label in rows
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def germeval_file(tmp_path: Path) -> Path:
    rows = [(t, "OFFENSE") for t in OFFENSIVE] + [(t, "OTHER") for t in HARMLESS]
    return write_germeval(tmp_path / "train.tsv", rows * 3)


@pytest.fixture(autouse=True)
def _fresh_model_cache() -> None:
    # The loaded classifier is cached per process; each test starts without one.
    forget_loaded_model()


@pytest.fixture
def make_item(org: Org) -> Callable[..., InboxItem]:
    def make(text: str, channel=None, **kwargs) -> InboxItem:  # type: ignore[no-untyped-def]
        return InboxItemFactory(channel=channel or org.press_channel, text=text, **kwargs)

    return make
