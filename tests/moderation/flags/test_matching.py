"""Whole-word, case-insensitive, umlaut-aware matching of alerts and lexicon words."""

from __future__ import annotations

from moderation.flags.matching import TermMatcher
from moderation.flags.matching import term_problem


def _found(terms: list[str], text: str) -> list[str]:
    matcher = TermMatcher([(term, term) for term in terms])
    return [text[m.start : m.end] for m in matcher.find(text)]


def test_whole_words_only() -> None:
    assert _found(["idiot"], "Idiot! idiotisch") == ["Idiot"]


def test_case_and_umlauts_do_not_matter() -> None:
    assert _found(["Lügner"], "LUEGNER und lügner") == ["LUEGNER", "lügner"]
    assert _found(["strasse"], "Straße") == ["Straße"]


def test_ending_wildcard_matches_inflections() -> None:
    assert _found(["versager*"], "Versagern, Versagerin") == ["Versagern", "Versagerin"]


def test_leading_wildcard_matches_compounds() -> None:
    assert _found(["*idiot"], "Vollidiot") == ["Vollidiot"]


def test_phrases_match_words_in_order() -> None:
    assert _found(["bring dich um"], "ich bring dich um!") == ["bring dich um"]
    assert _found(["bring dich um"], "ich bring um dich") == []


def test_spans_point_into_the_original_text_despite_folding() -> None:
    text = "Ärger über Bömbe"
    assert _found(["bömbe"], text) == ["Bömbe"]


def test_too_short_affixes_are_refused() -> None:
    assert term_problem("ab*") == "short_affix"
    assert term_problem("!!!") == "empty"
    assert term_problem("bombe*") is None
