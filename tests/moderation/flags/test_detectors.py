"""The detectors behind the flags, true and false positives (pure functions, no database)."""

from __future__ import annotations

import pytest

from moderation.flags.detectors import detect_formal_requests
from moderation.flags.detectors import detect_personal_data
from moderation.flags.detectors import detect_spam_links
from moderation.flags.detectors import mask


def _codes(findings) -> set[str]:  # type: ignore[no-untyped-def]
    return {finding.code for finding in findings}


# --- Personal data ------------------------------------------------------------------------


def test_phone_number_is_found_and_masked() -> None:
    [finding] = detect_personal_data("Rufen Sie mich an: 030 12345678")
    assert finding.code == "phone"
    span = finding.evidence["spans"][0]
    assert span["masked"] == "+49 30 ••••••78"
    assert "12345678" not in str(finding.evidence) and "12345678" not in finding.explanation


def test_international_mobile_number_is_found() -> None:
    assert _codes(detect_personal_data("WhatsApp +49 171 2345678")) == {"phone"}


@pytest.mark.parametrize(
    "text",
    [
        "Am 12.03.2024 um 14:30 waren 2000 Leute da",
        "Aktenzeichen 123/456-78",
        "Die Postleitzahl ist 10115",
    ],
)
def test_dates_counts_and_file_numbers_are_no_phone_numbers(text: str) -> None:
    assert detect_personal_data(text) == []


def test_iban_with_valid_checksum_is_found() -> None:
    [finding] = detect_personal_data("Überweist an DE89 3704 0044 0532 0130 00 bitte")
    assert finding.code == "iban"
    assert finding.evidence["spans"][0]["masked"] == "DE89 •••• •••• •••• •••• 00"


def test_iban_with_wrong_checksum_is_not_found() -> None:
    assert detect_personal_data("Überweist an DE89 3704 0044 0532 0130 01 bitte") == []


def test_steuer_id_with_valid_checksum_is_found() -> None:
    [finding] = detect_personal_data("Meine Steuer-ID ist 36 574 261 809")
    assert finding.code == "tax_id"
    assert finding.evidence["spans"][0]["type"] == "steuer_id"


def test_eleven_digits_with_wrong_checksum_are_no_tax_id() -> None:
    assert "tax_id" not in _codes(detect_personal_data("Vorgang 36574261808"))


def test_steuernummer_only_next_to_its_name() -> None:
    assert _codes(detect_personal_data("Steuernummer: 181/815/08155")) == {"tax_id"}
    assert detect_personal_data("Rechnung 181/815/08155") == []


def test_email_address_is_found_and_masked() -> None:
    [finding] = detect_personal_data("Schreibt mir an max.mustermann@example.org")
    assert finding.code == "email"
    assert finding.evidence["spans"][0]["masked"].endswith("@•••.org")
    assert "mustermann" not in str(finding.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "Ich wohne Hauptstraße 12a, 10115 Berlin",
        "Kommt zur Karl-Marx-Allee 3",
        "Friedrichstr. 5 ist gemeint",
        "in der Berliner Straße 17 ist es laut",
    ],
)
def test_street_addresses_are_found(text: str) -> None:
    assert _codes(detect_personal_data(text)) == {"address"}


@pytest.mark.parametrize(
    "text",
    ["Die Straße ist seit 2019 gesperrt", "Die Hauptstraße ist voller Müll", "Platz 3 im Ranking"],
)
def test_streets_without_house_number_are_no_address(text: str) -> None:
    assert detect_personal_data(text) == []


def test_every_personal_data_flag_explains_itself() -> None:
    findings = detect_personal_data("Tel. 030 12345678, IBAN DE89 3704 0044 0532 0130 00")
    assert _codes(findings) == {"phone", "iban"}
    assert all(finding.explanation for finding in findings)


def test_mask_keeps_shape() -> None:
    assert mask("+49 30 1234", keep_start=4, keep_end=2) == "+49 30 ••34"


# --- Spam links ---------------------------------------------------------------------------


def test_url_shortener_is_spam() -> None:
    [finding] = detect_spam_links("Mehr hier: https://bit.ly/3abc")
    assert finding.code == "shortener"
    assert "bit.ly" in finding.explanation


def test_link_with_crypto_and_money_words_is_spam() -> None:
    [finding] = detect_spam_links(
        "Ich verdiene 500 € pro Tag mit Bitcoin, klickt hier: http://rich-quick.example/x"
    )
    assert {r["code"] for r in finding.evidence["reasons"]} >= {"money", "spam_phrase"}


def test_punycode_domain_is_spam() -> None:
    [finding] = detect_spam_links("Login: https://xn--pypal-4ve.com/login")
    assert finding.code in {"punycode", "lookalike"}


def test_lookalike_domain_is_spam() -> None:
    [finding] = detect_spam_links("Konto bestätigen: https://paypa1-secure.com/verify")
    assert finding.code == "lookalike"
    assert finding.evidence["reasons"][0]["brand"] == "paypal"


def test_many_links_with_a_money_word_are_spam() -> None:
    text = "Gratis! https://a.example/1 https://b.example/2 https://c.example/3"
    assert _codes(detect_spam_links(text)) == {"money"}


@pytest.mark.parametrize(
    "text",
    [
        "Infos unter https://www.musterstadt.de/baustellen",
        "Siehe https://www.paypal.com/de/hilfe",
        "Spendet für das Tierheim, 5 € helfen: https://tierheim.example/spenden",
        "Kein Link hier, nur Text.",
    ],
)
def test_ordinary_links_are_no_spam(text: str) -> None:
    assert detect_spam_links(text) == []


# --- Formal requests ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Hiermit beantrage ich einen Anwohnerparkausweis.", "application"),
        ("Ich stelle hiermit einen Antrag auf Kostenerstattung.", "application"),
        ("Gegen den Bescheid lege ich hiermit Widerspruch ein.", "objection"),
        ("Ich widerspreche der Entscheidung.", "objection"),
        ("Ich erhebe Einspruch gegen den Bußgeldbescheid.", "objection"),
        (
            "Bitte Auskunft nach Art. 15 DSGVO über meine gespeicherten Daten.",
            "data_subject_request",
        ),
        ("Ich verlange die Löschung meiner Daten.", "data_subject_request"),
        ("Ich beantrage Akteneinsicht nach dem IFG.", "foi_request"),
        ("Anfrage nach dem Informationsfreiheitsgesetz zum Gutachten", "foi_request"),
    ],
)
def test_formal_requests_get_their_code(text: str, code: str) -> None:
    assert _codes(detect_formal_requests(text)) == {code}


@pytest.mark.parametrize(
    "text",
    [
        "Der Antrag der Fraktion im Stadtrat war gut.",
        "Da muss ich Ihnen widersprechen, das Wetter war schön.",
        "Die Auskunft am Telefon war freundlich.",
    ],
)
def test_ordinary_talk_is_no_formal_request(text: str) -> None:
    assert detect_formal_requests(text) == []


def test_formal_request_names_what_was_found() -> None:
    [finding] = detect_formal_requests("Ich widerspreche dem Bescheid.")
    assert finding.evidence["terms"] == ["widerspreche"]
    assert "widerspreche" in finding.explanation
