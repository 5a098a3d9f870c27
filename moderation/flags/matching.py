"""Whole-word, case-insensitive, umlaut-aware matching of words and phrases.

Keyword alerts and the insult lexicon both need it, on every ingested item: the text is
folded once ("Ä" = "ä" = "ae", "ß" = "ss", case folded), split into words, and each word is
looked up in hash tables, so the cost grows with the length of the text, not with the number
of terms (a regex alternation of a few hundred terms would be tried at every word start).

Term syntax (the lexicon file's and the units' own entries):

- ``word`` matches that whole word only ("idiot" does not match "idiotisch");
- ``word*`` matches the word with any ending (inflections);
- ``*word`` matches the word at the end of a compound ("*idiot" matches "Vollidiot");
- ``*word*`` matches the word anywhere inside a word;
- several words are a phrase: the words in that order, each with the rules above.

Spans of matches refer to the original text, so that evidence can point at them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Generic
from typing import NamedTuple
from typing import TypeVar

T = TypeVar("T")

_FOLD = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"}
_WORD = re.compile(r"\w+")
# Stems and affixes shorter than this would match too much ("ab*").
MIN_AFFIX = 3


def fold(text: str) -> str:
    """The comparable form of a text: composed, case folded, umlauts and ß spelled out."""
    text = unicodedata.normalize("NFC", text).casefold()
    return "".join(_FOLD.get(char, char) for char in text)


def _fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index in ``text`` it came from
    (folding changes lengths: "ä" becomes "ae")."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = char.casefold()
        folded = "".join(_FOLD.get(c, c) for c in folded)
        out.append(folded)
        offsets.extend([index] * len(folded))
    offsets.append(len(text))
    return "".join(out), offsets


class Token(NamedTuple):
    # A named tuple, not a dataclass: every word of every ingested item becomes one, and a
    # tuple is several times cheaper to make than a frozen dataclass.
    text: str  # folded
    start: int  # in the original text
    end: int


_FOLD_TABLE = str.maketrans(_FOLD)


def tokenize(text: str) -> list[Token]:
    """The text's words, folded, with their positions in ``text``. Words are found in the
    original and folded one by one (folding changes lengths, the positions must not move);
    only a text with decomposed umlauts ("a" + combining diaeresis) takes the slow path
    that composes it first."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        folded, offsets = _fold_with_offsets(text)
        return [
            Token(m.group(), offsets[m.start()], offsets[m.end() - 1] + 1)
            for m in _WORD.finditer(folded)
        ]
    return [
        Token(m.group().casefold().translate(_FOLD_TABLE), m.start(), m.end())
        for m in _WORD.finditer(text)
    ]


@dataclass(frozen=True)
class _Pattern:
    """One word of a term: exact, prefix (``word*``), suffix (``*word``) or infix."""

    word: str
    prefix: bool  # may continue after ``word``
    suffix: bool  # may begin before ``word``

    def matches(self, token: str) -> bool:
        if self.prefix and self.suffix:
            return self.word in token
        if self.prefix:
            return token.startswith(self.word)
        if self.suffix:
            return token.endswith(self.word)
        return token == self.word


def parse_term(term: str) -> tuple[_Pattern, ...]:
    """The term's words as patterns; empty when the term has no word of its own."""
    patterns = []
    for raw in term.split():
        prefix = raw.endswith("*")
        suffix = raw.startswith("*")
        words = _WORD.findall(fold(raw.strip("*")))
        if not words:
            continue
        # "Karl-Marx" or "z.B." become several words, as in the text.
        for position, word in enumerate(words):
            patterns.append(
                _Pattern(
                    word,
                    prefix=prefix and position == len(words) - 1,
                    suffix=suffix and position == 0,
                )
            )
    return tuple(patterns)


def term_problem(term: str) -> str | None:
    """Why a term cannot be used (for forms), or None."""
    patterns = parse_term(term)
    if not patterns:
        return "empty"
    if any((p.prefix or p.suffix) and len(p.word) < MIN_AFFIX for p in patterns):
        return "short_affix"
    return None


@dataclass(frozen=True)
class Match(Generic[T]):
    term: str
    payload: T
    start: int
    end: int


class TermMatcher(Generic[T]):
    """Finds every term in a text. Built once per set of terms (see :func:`matcher_for`)."""

    def __init__(self, terms: Iterable[tuple[str, T]]) -> None:
        self._exact: dict[str, list[tuple[str, T, tuple[_Pattern, ...]]]] = {}
        self._prefix: dict[str, list[tuple[str, T, tuple[_Pattern, ...]]]] = {}
        self._suffix: dict[str, list[tuple[str, T, tuple[_Pattern, ...]]]] = {}
        self._infix: list[tuple[str, T, tuple[_Pattern, ...]]] = []
        self.size = 0
        for term, payload in terms:
            patterns = parse_term(term)
            if not patterns:
                continue
            first = patterns[0]
            if (first.prefix or first.suffix) and len(first.word) < MIN_AFFIX:
                continue
            entry = (term, payload, patterns)
            self.size += 1
            if first.prefix and first.suffix:
                self._infix.append(entry)
            elif first.prefix:
                self._prefix.setdefault(first.word[:MIN_AFFIX], []).append(entry)
            elif first.suffix:
                self._suffix.setdefault(first.word[-MIN_AFFIX:], []).append(entry)
            else:
                self._exact.setdefault(first.word, []).append(entry)

    def _candidates(self, token: str) -> list[tuple[str, T, tuple[_Pattern, ...]]]:
        exact = self._exact.get(token)
        prefix = self._prefix.get(token[:MIN_AFFIX])
        suffix = self._suffix.get(token[-MIN_AFFIX:]) if len(token) >= MIN_AFFIX else None
        # Most words are no term at all: no list to build for them.
        if not (exact or prefix or suffix or self._infix):
            return []
        return [*(exact or ()), *(prefix or ()), *(suffix or ()), *self._infix]

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Match[T]]:
        """Every term in ``text``; pass its ``tokenize`` result when several matchers look
        at the same text."""
        if not text or not self.size:
            return []
        if tokens is None:
            tokens = tokenize(text)
        matches: list[Match[T]] = []
        for index, token in enumerate(tokens):
            for term, payload, patterns in self._candidates(token.text):
                last = index + len(patterns) - 1
                if last >= len(tokens):
                    continue
                if all(
                    pattern.matches(tokens[index + offset].text)
                    for offset, pattern in enumerate(patterns)
                ):
                    matches.append(Match(term, payload, token.start, tokens[last].end))
        return matches


LEXICON_PATH = Path(__file__).with_name("lexicon_de.txt")


@lru_cache(maxsize=1)
def maintained_lexicon() -> tuple[str, ...]:
    """The maintained lexicon shipped with Sprachrohr (``lexicon_de.txt``), read once: its
    terms in file order, without comments and repetitions."""
    terms = []
    for line in LEXICON_PATH.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            terms.append(line)
    return tuple(dict.fromkeys(terms))


@lru_cache(maxsize=256)
def matcher_for(terms: frozenset[tuple[str, str]]) -> TermMatcher[str]:
    """A matcher per distinct set of (term, payload) pairs, kept per process: units share
    their ancestors' terms, and consecutive ingestion batches see the same sets."""
    return TermMatcher(sorted(terms))
