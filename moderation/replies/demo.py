"""Demo data of replies: a few shared saved replies for the demo units, and the city's own
standard answer to objections (the other formal requests use the built-in ones)."""

from __future__ import annotations

from accounts.models import OrgUnit
from moderation.models import SavedReply

SAVED_REPLIES = (
    (
        "Danke für den Hinweis",
        "Hallo {name}, danke für Ihren Hinweis! Wir geben ihn an die zuständige Stelle weiter"
        " und melden uns, sobald wir mehr wissen.",
        "",
    ),
    (
        "Öffnungszeiten",
        "Hallo {name}, die aktuellen Öffnungszeiten finden Sie auf der Website von {unit}."
        " Bei Fragen helfen wir hier gern weiter.",
        "",
    ),
    (
        "Hinweis auf die Netiquette",
        "Hallo {name}, bitte bleiben Sie sachlich: Beiträge, die gegen unsere Netiquette"
        " verstoßen, müssen wir verbergen. Sie finden sie hier: {netiquette_url}",
        "",
    ),
    (
        "Widerspruch: bitte schriftlich",
        "Hallo {name}, einen Widerspruch können Sie über {channel} leider nicht wirksam"
        " einlegen. Bitte schreiben Sie an {unit} (Anschrift im Impressum: {impressum_url})"
        " und beachten Sie die Frist in Ihrem Bescheid.",
        "formal_request:objection",
    ),
)


def load(units: dict[str, OrgUnit]) -> None:
    """Shared saved replies of the press office (where the demo community manager works,
    so they can be maintained there); idempotent by title."""
    unit = units.get("Presseamt") or next(iter(units.values()), None)
    if unit is None:
        return
    for title, text, purpose in SAVED_REPLIES:
        SavedReply.objects.get_or_create(
            unit=unit, owner=None, title=title, defaults={"text": text, "purpose": purpose}
        )
