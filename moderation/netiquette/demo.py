"""Demo Netiquette (``manage.py load_demo``): a published version 1 for each authority, in
German, as an authority publishes it. The units below inherit it. Idempotent."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import OrgUnit
from moderation.models import Netiquette
from moderation.models import NetiquetteRule

PREAMBLE = (
    "{name} betreibt diesen Auftritt, um über seine Arbeit zu informieren und mit Ihnen ins"
    " Gespräch zu kommen. Kritik und unterschiedliche Meinungen sind ausdrücklich willkommen."
    " Als öffentliche Stelle sind wir an die Grundrechte gebunden, insbesondere an die"
    " Meinungsfreiheit (Art. 5 Grundgesetz). Beiträge entfernen wir deshalb nur, wenn sie gegen"
    " eine der folgenden Regeln verstoßen, und nur so weit wie nötig: Wir verbergen einen"
    " Beitrag, bevor wir ihn löschen, und sperren ein Konto nur bei wiederholten oder schweren"
    " Verstößen. Jede Entscheidung wird mit der betroffenen Regel dokumentiert. Wenn Sie eine"
    " Entscheidung für falsch halten, schreiben Sie uns eine Direktnachricht oder eine E-Mail;"
    " wir prüfen sie erneut."
)

RULES = [
    (
        "Respektvoller Umgang",
        "Beleidigungen, Schmähungen, Drohungen und Aufrufe zu Gewalt gegen Personen oder"
        " Gruppen sind nicht erlaubt. Das gilt auch gegenüber Beschäftigten der Verwaltung.",
    ),
    (
        "Keine Diskriminierung und Hetze",
        "Beiträge, die Menschen wegen ihrer Herkunft, Religion, Weltanschauung, ihres"
        " Geschlechts, ihrer sexuellen Identität, einer Behinderung oder ihres Alters"
        " herabwürdigen, werden entfernt.",
    ),
    (
        "Strafbare Inhalte",
        "Inhalte, die gegen Strafgesetze verstoßen (zum Beispiel Volksverhetzung, Verwendung"
        " verfassungswidriger Kennzeichen, Bedrohung), werden entfernt und gesichert; wir"
        " behalten uns eine Strafanzeige vor.",
    ),
    (
        "Schutz persönlicher Daten",
        "Veröffentlichen Sie keine personenbezogenen Daten anderer (Anschriften,"
        " Telefonnummern, Fotos ohne Einwilligung) und zu Ihrem eigenen Schutz auch nicht Ihre"
        " eigenen. Für persönliche Anliegen nutzen Sie bitte die Direktnachricht.",
    ),
    (
        "Keine Werbung und kein Spam",
        "Kommerzielle Werbung, Kettenbriefe, wiederholt gleichlautende Beiträge und Links zu"
        " schädlichen Seiten werden gelöscht.",
    ),
    (
        "Beim Thema bleiben",
        "Beiträge sollen sich auf den jeweiligen Beitrag oder die Arbeit der Verwaltung"
        " beziehen. Beiträge ohne jeden Bezug können verborgen werden.",
    ),
    (
        "Rechte Dritter",
        "Achten Sie Urheber- und Persönlichkeitsrechte. Inhalte, die diese Rechte verletzen,"
        " werden entfernt.",
    ),
]

DEMO_UNITS = ("Stadt Musterstadt", "Polizeipräsidium Musterstadt")


@transaction.atomic
def load(units: dict[str, OrgUnit]) -> None:
    for name in DEMO_UNITS:
        unit = units.get(name)
        if unit is None or Netiquette.objects.filter(unit=unit).exists():
            continue
        netiquette = Netiquette.objects.create(
            unit=unit,
            version=1,
            title="Netiquette",
            preamble=PREAMBLE.format(name=unit.name),
            published_at=timezone.now(),
        )
        NetiquetteRule.objects.bulk_create(
            NetiquetteRule(netiquette=netiquette, number=number, title=title, text=text)
            for number, (title, text) in enumerate(RULES, start=1)
        )
