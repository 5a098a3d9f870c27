"""The detectors behind the automatic flags: pure functions of an item's text.

Each returns ``Finding``s that say why (an explanation in the active language and evidence:
masked spans, matched terms, reasons). None of them decides anything: staff read the flag
and act, or dismiss it. Personal data is never repeated in full in the evidence: the item's
text already holds it once, a flag points at it with a masked copy and its position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.de import idnr
from stdnum.de import stnr

from moderation.flags.matching import fold
from moderation.models import Flag

K = Flag.Kind
MASK = "•"


@dataclass
class Finding:
    kind: str
    code: str
    explanation: str
    evidence: dict[str, Any] = field(default_factory=dict)
    score: float | None = None


def mask(value: str, *, keep_start: int = 0, keep_end: int = 2) -> str:
    """``value`` with its letters and digits replaced by ``•`` except the first
    ``keep_start`` and the last ``keep_end`` of them; spaces and punctuation stay, so the
    shape remains readable ("+49 30 ••• ••12")."""
    positions = [i for i, char in enumerate(value) if char.isalnum()]
    keep = set(positions[:keep_start]) | set(positions[len(positions) - keep_end :])
    return "".join(
        char if (not char.isalnum() or i in keep) else MASK for i, char in enumerate(value)
    )


# --- Personal data ------------------------------------------------------------------------


_EMAIL = re.compile(
    r"(?<![\w.+-])([\w.+-]{1,64})@((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})\b",
    re.IGNORECASE,
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b", re.IGNORECASE)
# An Identifikationsnummer: 11 digits, first not 0, written together or in groups.
_IDNR = re.compile(r"(?<![\d/.,-])[1-9]\d(?:[ ]?\d){9}(?![\d/.,-])")
# A Steuernummer has no checksum strong enough on its own: only next to its name.
_STNR = re.compile(
    r"(?:steuer-?\s?nummer|steuernr\.?|st\.?-?\s?nr\.?)\s*[:.]?\s*(\d[\d /]{8,15}\d)",
    re.IGNORECASE,
)
_STREET_TYPES = (
    r"stra(?:ß|ss)e|str\.|weg|platz|allee|gasse|ring|damm|ufer|chaussee|steig|pfad|markt"
)
_ADDRESS = re.compile(
    r"\b("
    # "Hauptstraße", "Karl-Marx-Allee", "Friedrichstr.", "Am Schlossplatz"
    rf"(?:(?:[A-ZÄÖÜ][\wäöüß]*-)+|[A-ZÄÖÜ][\wäöüß]*)(?i:{_STREET_TYPES})"
    # "Berliner Straße", "Unter den Eichen Weg" (separate street word)
    rf"|(?:[A-ZÄÖÜ][\wäöüß.-]+\s){{1,3}}(?:{_STREET_TYPES.replace('stra', 'Stra')}"
    r"|Weg|Platz|Allee|Gasse|Ring|Damm|Ufer|Chaussee|Markt)"
    r")"
    r"\s+(\d{1,3}(?:\s?[a-zA-Z](?!\w))?(?:\s?[-/]\s?\d{1,3}(?:[a-zA-Z](?!\w))?)?)(?!\d|[.,]\d)"
    r"(,?\s+\d{5}\s+[A-ZÄÖÜ][\wäöüß-]+(?:\s(?:an\sder|am|im|in|ob)\s[A-ZÄÖÜ][\wäöüß-]+)?)?"
)


def _span(start: int, end: int, masked: str, **extra: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "masked": masked, **extra}


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in taken)


def _find_emails(text: str) -> list[dict[str, Any]]:
    found = []
    for m in _EMAIL.finditer(text):
        local, domain = m.group(1), m.group(2)
        tld = domain.rsplit(".", 1)[-1]
        masked = f"{mask(local, keep_start=1, keep_end=0)}@{MASK * 3}.{tld}"
        found.append(_span(m.start(), m.end(), masked))
    return found


def _find_ibans(text: str) -> list[dict[str, Any]]:
    found = []
    for m in _IBAN.finditer(text):
        raw = m.group().rstrip()
        compact = stdnum_iban.compact(raw)
        # Greedy matching may take a following word: shorten until the checksum holds.
        while len(compact) >= 15 and not stdnum_iban.is_valid(compact):
            raw = raw[:-1].rstrip()
            compact = stdnum_iban.compact(raw)
        if len(compact) >= 15 and stdnum_iban.is_valid(compact):
            found.append(
                _span(m.start(), m.start() + len(raw), mask(raw, keep_start=4, keep_end=2))
            )
    return found


def _find_tax_ids(text: str) -> list[dict[str, Any]]:
    found = []
    for m in _IDNR.finditer(text):
        if idnr.is_valid(m.group()):
            found.append(_span(m.start(), m.end(), mask(m.group(), keep_end=2), type="steuer_id"))
    for m in _STNR.finditer(text):
        number = m.group(1).strip()
        if stnr.is_valid(number):
            found.append(_span(m.start(1), m.end(1), mask(number, keep_end=2), type="steuernummer"))
    return found


def _find_phones(text: str) -> list[dict[str, Any]]:
    # The matcher is the slowest detector: a text with fewer than six digits holds no number.
    if sum(char.isdigit() for char in text) < 6:
        return []
    found = []
    for m in phonenumbers.PhoneNumberMatcher(text, "DE", leniency=phonenumbers.Leniency.VALID):
        formatted = phonenumbers.format_number(
            m.number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        # Country and area code say little about the person; the rest is masked but the
        # last two digits, so staff can tell two numbers apart.
        groups = formatted.split(" ")
        head = " ".join(groups[:2])
        tail = " ".join(groups[2:])
        masked = f"{head} {mask(tail, keep_end=2)}" if tail else mask(head, keep_start=3)
        found.append(_span(m.start, m.end, masked))
    return found


def _find_addresses(text: str) -> list[dict[str, Any]]:
    found = []
    for m in _ADDRESS.finditer(text):
        street = m.group(1)
        # The kind of street stays readable ("•••••straße 1•"), the name does not.
        words = street.split()
        last = words[-1]
        lowered = last.lower()
        kind_at = max(lowered.rfind(t) for t in ("stra", "str.", "weg", "platz", "allee"))
        if len(words) == 1 and kind_at > 0:
            masked_street = MASK * 5 + last[kind_at:]
        else:
            masked_street = " ".join([MASK * 5, *words[1:]]) if len(words) > 1 else street
        masked = f"{masked_street} {mask(m.group(2), keep_end=0)}"
        if m.group(3):
            masked += f", {MASK * 5} {MASK * 5}"
        found.append(_span(m.start(), m.end(), masked))
    return found


_PERSONAL_DATA = (
    # Order matters: what is found first claims its characters (an IBAN's digits are no
    # phone number, a tax id with a valid checksum is no phone number).
    ("iban", _find_ibans),
    ("email", _find_emails),
    ("tax_id", _find_tax_ids),
    ("phone", _find_phones),
    ("address", _find_addresses),
)


def _personal_data_explanation(code: str, masked: list[str]) -> str:
    shown = ", ".join(masked)
    texts = {
        "phone": _("Contains what looks like a phone number: %(found)s."),
        "iban": _("Contains a bank account number (IBAN with a valid checksum): %(found)s."),
        "tax_id": _("Contains a German tax number with a valid checksum: %(found)s."),
        "email": _("Contains an e-mail address: %(found)s."),
        "address": _("Contains what looks like a street address: %(found)s."),
    }
    return " ".join(
        [
            texts[code] % {"found": shown},
            _("Consider hiding the comment to protect the commenter's personal data."),
        ]
    )


def detect_personal_data(text: str) -> list[Finding]:
    taken: list[tuple[int, int]] = []
    findings = []
    for code, finder in _PERSONAL_DATA:
        spans = [s for s in finder(text) if not _overlaps(s["start"], s["end"], taken)]
        if not spans:
            continue
        taken.extend((s["start"], s["end"]) for s in spans)
        findings.append(
            Finding(
                kind=K.PERSONAL_DATA,
                code=code,
                explanation=_personal_data_explanation(code, [s["masked"] for s in spans]),
                evidence={"spans": spans},
            )
        )
    return findings


# --- Spam links ---------------------------------------------------------------------------

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"')\]]+"
    r"|\b(?:[a-z0-9-]+\.)+(?:[a-z]{2,12}|xn--[a-z0-9-]+)/[^\s<>\"')\]]*",
    re.IGNORECASE,
)
# Wrapping every link in t.co is what X itself does to every post: not a hint of spam.
URL_SHORTENERS = frozenset(
    [
        "bit.ly",
        "bitly.com",
        "tinyurl.com",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "buff.ly",
        "rebrand.ly",
        "cutt.ly",
        "shorturl.at",
        "tiny.cc",
        "rb.gy",
        "t.ly",
        "s.id",
        "bl.ink",
        "lnkd.in",
        "v.gd",
        "soo.gd",
        "clck.ru",
        "qr.ae",
        "adf.ly",
        "shorte.st",
        "bc.vc",
        "ouo.io",
        "linktr.ee",
        "tiny.one",
        "2u.pm",
        "u.to",
        "short.io",
        "shrtco.de",
        "urlz.fr",
    ]
)
# Top-level domains that carry mostly spam and phishing (Spamhaus' and others' statistics).
SUSPICIOUS_TLDS = frozenset(
    [
        "xyz",
        "top",
        "click",
        "loan",
        "work",
        "gq",
        "tk",
        "ml",
        "cf",
        "ga",
        "icu",
        "cam",
        "rest",
        "bar",
        "buzz",
        "monster",
        "cyou",
        "sbs",
    ]
)
# Brands whose look-alikes phishing uses, with their own registrable domains.
BRANDS = {
    "paypal": {"paypal.com", "paypal.de"},
    "amazon": {"amazon.de", "amazon.com"},
    "sparkasse": {"sparkasse.de"},
    "volksbank": {"volksbank.de"},
    "dhl": {"dhl.de", "dhl.com"},
    "ebay": {"ebay.de", "ebay.com"},
    "apple": {"apple.com"},
    "microsoft": {"microsoft.com"},
    "netflix": {"netflix.com"},
    "elster": {"elster.de"},
    "bundesregierung": {"bundesregierung.de"},
}
_LEET = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s"})
_MONEY_WORDS = re.compile(
    r"\b(bitcoin|btc|krypto\w*|crypto\w*|ethereum|eth|usdt|nft|airdrop|forex|trading|"
    r"investier\w*|invest\w*|rendite|passives?\s+einkommen|geld\s+verdienen|verdiene\w*|"
    r"gewinnspiel|gewonnen|gratis|kostenlos|casino|wette\w*|kredit\w*|\d+\s?(?:€|euro|\$)"
    r"(?:\s+(?:pro|am|im)\s+(?:tag|woche|monat))?)\b",
    re.IGNORECASE,
)
_SPAM_PHRASES = re.compile(
    r"\b(klick(?:e|t)?\s+(?:hier|auf\s+den\s+link)|link\s+in\s+(?:der\s+)?bio|schreib\s+mir\s+"
    r"(?:auf|bei)\s+(?:whatsapp|telegram)|whatsapp\s*:?\s*\+?\d|telegram\s*:?\s*@\w+|"
    r"dm\s+(?:me|mir)|jetzt\s+(?:registrieren|anmelden|sichern)|nur\s+heute)\b",
    re.IGNORECASE,
)
MANY_LINKS = 3


def _host(url: str) -> str:
    if not re.match(r"^[a-z]+://", url, re.IGNORECASE):
        url = "http://" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def _registrable(host: str) -> str:
    return ".".join(host.split(".")[-2:])


def _lookalike(host: str) -> str | None:
    """The brand a host imitates, if it imitates one: the brand's name (after undoing
    digit-for-letter tricks) in a host that is not the brand's own."""
    unleet = host.translate(_LEET).replace("rn", "m").replace("vv", "w")
    for brand, own in BRANDS.items():
        if _registrable(host) in own:
            continue
        if brand in unleet:
            return brand
    return None


def _link_reasons(url: str, host: str) -> list[dict[str, str]]:
    reasons = []
    if host in URL_SHORTENERS:
        reasons.append({"code": "shortener", "url": url})
    if any(label.startswith("xn--") for label in host.split(".")) or not host.isascii():
        reasons.append({"code": "punycode", "url": url})
    brand = _lookalike(host)
    if brand is not None:
        reasons.append({"code": "lookalike", "url": url, "brand": brand})
    if host.rsplit(".", 1)[-1] in SUSPICIOUS_TLDS:
        reasons.append({"code": "suspicious_tld", "url": url})
    return reasons


def _spam_reason_text(reason: dict[str, str]) -> str:
    texts = {
        "shortener": _("a link through a URL shortener that hides its target (%(url)s)"),
        "punycode": _("a link to an internationalised (punycode) domain (%(url)s)"),
        "lookalike": _("a link to a domain that imitates “%(brand)s” (%(url)s)"),
        "suspicious_tld": _("a link to a top-level domain used mostly for spam (%(url)s)"),
        "many_links": _("%(count)s links in one comment"),
        "money": _("a link together with money or crypto words (%(words)s)"),
        "spam_phrase": _("a link together with a typical spam phrase (%(words)s)"),
    }
    return texts[reason["code"]] % reason


# Strongest reason first: it names the flag.
_SPAM_ORDER = (
    "lookalike",
    "punycode",
    "shortener",
    "money",
    "spam_phrase",
    "suspicious_tld",
    "many_links",
)


def detect_spam_links(text: str) -> list[Finding]:
    if "." not in text:
        return []
    urls = [m.group().rstrip(".,;:!?") for m in _URL.finditer(text)]
    if not urls:
        return []
    reasons: list[dict[str, str]] = []
    for url in urls:
        host = _host(url)
        if host:
            reasons.extend(_link_reasons(url, host))
    if len(urls) >= MANY_LINKS:
        reasons.append({"code": "many_links", "count": str(len(urls))})
    money = sorted({m.group().strip() for m in _MONEY_WORDS.finditer(text)})
    if money:
        reasons.append({"code": "money", "words": ", ".join(money[:5])})
    phrases = sorted({m.group().strip() for m in _SPAM_PHRASES.finditer(text)})
    if phrases:
        reasons.append({"code": "spam_phrase", "words": ", ".join(phrases[:5])})
    codes = {r["code"] for r in reasons}
    # A single link to a cheap TLD, or a single money word next to a link, happens in
    # honest comments too ("Spendenaktion, 5 € helfen"): it takes two reasons then.
    weak = {"suspicious_tld", "money", "spam_phrase", "many_links"}
    if not codes or (codes <= weak and len(codes) < 2):
        return []
    reasons.sort(key=lambda r: _SPAM_ORDER.index(r["code"]))
    explanation = _("Looks like spam: %(reasons)s.") % {
        "reasons": "; ".join(_spam_reason_text(r) for r in reasons)
    }
    return [
        Finding(
            kind=K.SPAM_LINK,
            code=reasons[0]["code"],
            explanation=explanation,
            evidence={"reasons": reasons, "links": urls[:20]},
            score=float(len(codes)),
        )
    ]


# --- Formal requests ------------------------------------------------------------------------

# On folded text (lower case, "ä" as "ae", "ß" as "ss"). First person or a legal basis:
# "der Antrag der Fraktion" in a political discussion is no application to the authority.
FORMAL_PATTERNS: dict[str, list[str]] = {
    "application": [
        r"\b(?:ich|wir)\s+(?:\w+\s+){0,3}?beantragen?\b",
        r"\bbeantrage\b",
        r"\b(?:ich|wir)\s+(?:\w+\s+){0,3}?stellen?\s+(?:\w+\s+){0,2}?(?:einen\s+|den\s+)?antrag\b",
        r"\bstelle\s+(?:ich\s+)?(?:hiermit\s+)?(?:einen|den)\s+antrag\b",
        r"\bmein(?:en)?\s+antrag\b",
        r"\bantrag\s+(?:auf|nach|gem(?:aess|\.))\b",
    ],
    "objection": [
        # "Ich widerspreche dem Bescheid", not "da muss ich Ihnen widersprechen".
        r"\bwiderspreche\b(?!\s+(?:ihnen|dir|euch|da|hier)\b)",
        r"\b(?:wir\s+widersprechen|widersprechen\s+wir)\b(?!\s+(?:ihnen|dir|euch|da|hier)\b)",
        r"\b(?:lege|legen)\s+(?:ich\s+|wir\s+)?(?:hiermit\s+)?(?:\w+\s+){0,2}?(?:widerspruch|einspruch)\b",
        r"\b(?:erhebe|erheben)\s+(?:ich\s+|wir\s+)?(?:hiermit\s+)?(?:\w+\s+){0,2}?(?:widerspruch|einspruch)\b",
        r"\b(?:widerspruch|einspruch)\s+(?:gegen\s+(?:den|die|das|ihren|ihre|meinen)\b|einlegen|einzulegen|erheben)",
        r"\bwiderspruchsverfahren\b",
    ],
    "data_subject_request": [
        r"\bart(?:ikel|\.)?\s*(?:15|16|17|18|20|21)\s+(?:abs\.?\s*\d+\s+)?(?:der\s+)?(?:ds-?gvo|dsgvo|gdpr)\b",
        r"\b(?:ds-?gvo|dsgvo)\s+art(?:ikel|\.)?\s*(?:15|16|17|18|20|21)\b",
        r"\bauskunft\s+(?:\w+\s+){0,4}?(?:meine[nr]?|ueber\s+mich|gespeicherte[nr]?)\s+(?:\w+\s+){0,2}?daten\b",
        r"\bloeschung\s+(?:aller\s+)?meiner\s+(?:\w+\s+)?daten\b",
        r"\bmeine\s+(?:\w+\s+)?daten\s+(?:zu\s+)?(?:loeschen|sperren|berichtigen)\b",
        r"\brecht\s+auf\s+(?:vergessenwerden|vergessen\s+werden|loeschung|auskunft)\b",
        r"\bauskunftsersuchen\b",
        r"\bdatenauskunft\b",
    ],
    "foi_request": [
        r"\bifg\b",
        r"\binformationsfreiheitsgesetz\w*\b",
        r"\binformationsfreiheit\b",
        r"\bakteneinsicht\b",
        r"\btransparenzgesetz\w*\b",
        r"\bumweltinformationsgesetz\w*\b",
        r"\bverbraucherinformationsgesetz\w*\b",
        r"\b(?:uig|vig)\b",
        r"\bfragdenstaat\b",
    ],
}
_FORMAL = {code: re.compile("|".join(patterns)) for code, patterns in FORMAL_PATTERNS.items()}
# More specific requests make the general "application" redundant: a request under the
# IFG is answered with the IFG standard reply.
_SPECIFIC = ("data_subject_request", "foi_request")


def _formal_explanation(code: str, terms: list[str]) -> str:
    texts = {
        "application": _("May be an application to the authority (found: %(terms)s)."),
        "objection": _("May be a formal objection (Widerspruch/Einspruch; found: %(terms)s)."),
        "data_subject_request": _(
            "May be a data subject request under the GDPR (access, rectification, erasure;"
            " found: %(terms)s). It has a legal deadline of one month."
        ),
        "foi_request": _("May be a freedom-of-information request (found: %(terms)s)."),
    }
    return texts[code] % {"terms": ", ".join(f"“{t}”" for t in terms)}


def detect_formal_requests(text: str) -> list[Finding]:
    folded = fold(text)
    matched: dict[str, list[str]] = {}
    for code, pattern in _FORMAL.items():
        terms = sorted({m.group().strip() for m in pattern.finditer(folded)})
        if terms:
            matched[code] = terms[:5]
    if "application" in matched and any(code in matched for code in _SPECIFIC):
        del matched["application"]
    return [
        Finding(
            kind=K.FORMAL_REQUEST,
            code=code,
            explanation=_formal_explanation(code, terms),
            evidence={"terms": terms},
        )
        for code, terms in matched.items()
    ]
