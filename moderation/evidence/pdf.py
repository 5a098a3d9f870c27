"""The evidence record as a PDF for a criminal complaint.

Always in German, whatever the staff member's interface language: the document is read by
German police and prosecutors. Every field of the record is printed, the text in full,
with the SHA-256 hash and how to check it.

Fonts: DejaVu Sans and DejaVu Sans Mono (free licence, ``fonts/LICENSE``) are bundled, since
the server image carries no fonts. A character the font has no glyph for (emoji, rare
scripts) and every invisible control character (including the bidirectional overrides that
can make text read differently than it is stored) is printed visibly as ``[U+XXXX]``; the
exact text is in the JSON package, whose hash the PDF states."""

from __future__ import annotations

import json
import logging
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.enums import XPos
from fpdf.enums import YPos

from moderation.evidence.content import HASH_RULE
from moderation.models import EvidenceRecord

FONTS = Path(__file__).resolve().parent / "fonts"
# fpdf2 subsets the fonts with fontTools, which logs every step at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)
SANS = "DejaVuSans"
MONO = "DejaVuSansMono"
# Invisible characters that change how text reads: shown, never interpreted.
_VISIBLE_ANYWAY = {"\n", "\t"}
DASH = "\u2013"  # printed for an empty field

PLATFORMS = {
    "sandbox": "Sandbox",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "threads": "Threads",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "x": "X",
    "linkedin": "LinkedIn",
    "youtube": "YouTube",
    "telegram": "Telegram",
}
KINDS = {"comment": "Kommentar", "mention": "Erwähnung", "message": "Direktnachricht"}
CHANGES = {
    "edited": "vom Verfasser bearbeitet",
    "deleted": "auf der Plattform gelöscht",
    "hidden": "auf der Plattform verborgen",
    "unhidden": "auf der Plattform wieder sichtbar",
}


@lru_cache(maxsize=2)
def _glyphs(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path).getBestCmap())


def printable(text: str, font: str = SANS) -> str:
    """``text`` with every character the font cannot show, and every control or format
    character, replaced by a visible ``[U+XXXX]``."""
    glyphs = _glyphs(str(FONTS / f"{font}.ttf"))
    out = []
    for char in text:
        if char in _VISIBLE_ANYWAY:
            out.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") or (
            ord(char) not in glyphs
        ):
            out.append(f"[U+{ord(char):04X}]")
        else:
            out.append(char)
    return "".join(out)


def _berlin(moment: dict[str, str] | None) -> str:
    if not moment:
        return DASH
    return f"{moment['europe_berlin']} (Europe/Berlin) = {moment['utc']} (UTC)"


class _Document(FPDF):
    def __init__(self, record_id: int) -> None:
        super().__init__(format="A4")
        self.record_id = record_id
        self.add_font(SANS, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(SANS, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.add_font(MONO, "", str(FONTS / "DejaVuSansMono.ttf"))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        self.set_title(f"Beweissicherung Nr. {record_id}")
        self.set_author("Sprachrohr")
        self.set_lang("de-DE")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(SANS, "", 8)
        self.cell(
            0,
            5,
            f"Beweissicherung Nr. {self.record_id} · Seite {self.page_no()}/{{nb}}",
            align="C",
        )

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(SANS, "B", 12)
        self.multi_cell(0, 7, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(SANS, "", 10)

    def field(self, label: str, value: Any, *, mono: bool = False) -> None:
        text = DASH if value in (None, "") else str(value)
        self.set_font(SANS, "B", 9)
        self.multi_cell(0, 5, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        font = MONO if mono else SANS
        self.set_font(font, "", 9 if mono else 10)
        self.multi_cell(
            0, 5, printable(text, font), new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR
        )
        self.ln(1)


def evidence_pdf(record: EvidenceRecord, *, hash_matches: bool) -> bytes:
    """The PDF of one record (German)."""
    content = record.content
    item = content.get("item", {})
    author = content.get("author", {})
    channel = content.get("channel", {})
    thread = content.get("thread", {})
    doc = _Document(record.pk)
    doc.add_page()
    doc.set_font(SANS, "B", 16)
    doc.multi_cell(0, 9, f"Beweissicherung Nr. {record.pk}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font(SANS, "", 10)
    doc.multi_cell(
        0,
        5,
        "Gesicherter Beitrag auf einem Social-Media-Auftritt einer Behörde, vollständig und"
        " unverändert, wie ihn die Plattform übermittelt hat. Die Prüfsumme (SHA-256) belegt,"
        " dass die Daten seit der Sicherung nicht verändert wurden.",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )

    doc.heading("Sicherung")
    doc.field("Gesichert am", _berlin(content.get("recorded_at")))
    recorded_by = content.get("recorded_by", {})
    doc.field("Gesichert von", f"{recorded_by.get('name', '')} <{recorded_by.get('email', '')}>")
    doc.field("Dienststelle", content.get("unit", {}).get("name"))
    doc.field("Aufbewahrung bis", record.retain_until.isoformat())
    doc.field("SHA-256-Prüfsumme", record.sha256, mono=True)
    doc.field(
        "Prüfung der Prüfsumme beim Export",
        "stimmt überein - die Daten sind unverändert"
        if hash_matches
        else "STIMMT NICHT ÜBEREIN - die gespeicherten Daten wurden verändert",
    )
    doc.field("Berechnung der Prüfsumme", HASH_RULE, mono=True)

    doc.heading("Plattform und Beitrag")
    doc.field(
        "Plattform / Konto",
        f"{PLATFORMS.get(channel.get('platform', ''), channel.get('platform'))} · "
        f"{channel.get('name', '')} ({channel.get('handle') or channel.get('account_id') or DASH})",
    )
    doc.field("Art", KINDS.get(item.get("kind", ""), item.get("kind")))
    doc.field("Adresse (URL) des Beitrags", item.get("url"))
    doc.field("Kennung auf der Plattform", item.get("remote_id"))
    doc.field("Verfasst am", _berlin(item.get("created_at")))
    doc.field("Abgerufen am", _berlin(item.get("ingested_at")))
    doc.field("Bearbeitet am", _berlin(item.get("edited_at")))
    doc.field("Auf der Plattform gelöscht am", _berlin(item.get("remote_deleted_at")))
    doc.field("Auf der Plattform verborgen", "ja" if item.get("remote_hidden") else "nein")
    doc.field("Wortlaut", item.get("text"))

    doc.heading("Verfasser")
    doc.field("Kennung auf der Plattform", author.get("remote_id"))
    doc.field("Nutzername", author.get("handle"))
    doc.field("Anzeigename", author.get("display_name"))
    doc.field("Profil-Adresse", author.get("profile_url"))

    doc.heading("Zusammenhang")
    post = thread.get("post", {})
    doc.field("Unser Beitrag: Kennung", post.get("remote_id"))
    doc.field("Unser Beitrag: Adresse", post.get("url"))
    doc.field("Unser Beitrag: Text", post.get("text"))
    for number, parent in enumerate(thread.get("parents", []), start=1):
        parent_author = parent.get("author", {})
        doc.field(
            f"Vorheriger Beitrag {number}"
            f" ({parent_author.get('handle') or parent_author.get('remote_id')},"
            f" {_berlin(parent.get('created_at'))})",
            f"{parent.get('text', '')}\n{parent.get('url') or ''}".strip(),
        )

    doc.heading("Frühere Fassungen und Änderungen")
    revisions = content.get("revisions", [])
    if not revisions:
        doc.field("Änderungen", "keine")
    for revision in revisions:
        doc.field(
            f"{CHANGES.get(revision.get('change', ''), revision.get('change'))},"
            f" erfasst {_berlin(revision.get('recorded_at'))}",
            revision.get("previous_text") or DASH,
        )

    doc.heading("Automatische Hinweise")
    flags = content.get("flags", [])
    if not flags:
        doc.field("Hinweise", "keine")
    for flag in flags:
        score = flag.get("score")
        doc.field(
            f"{flag.get('kind')}/{flag.get('code')}"
            + (f", Wert {score:.2f}" if isinstance(score, int | float) else "")
            + (", verworfen" if flag.get("dismissed_at") else ""),
            f"{flag.get('explanation') or ''}\n"
            + json.dumps(flag.get("evidence"), ensure_ascii=False, sort_keys=True),
        )

    if record.criminal_relevant:
        doc.heading("Strafrechtliche Relevanz")
        doc.field("Zuständige Stelle", record.criminal_unit.name if record.criminal_unit else DASH)
        doc.field(
            "Strafantragsfrist (§ 77b StGB) endet am",
            record.prosecution_deadline.isoformat() if record.prosecution_deadline else DASH,
        )
        doc.field(
            "Strafanzeige erstattet am",
            record.complaint_filed_at.isoformat() if record.complaint_filed_at else "noch nicht",
        )

    doc.heading("Von der Plattform übermittelte Rohdaten (JSON)")
    doc.field(
        "Rohdaten",
        json.dumps(item.get("raw"), ensure_ascii=False, indent=2, sort_keys=True),
        mono=True,
    )
    return bytes(doc.output())
