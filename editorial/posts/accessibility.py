"""Accessibility checks for post texts and their media (BITV 2.0 / WCAG 2.1 AA).

Pure functions without database access: the post editor calls them live, the
submit-for-review check calls them with the unit's ``EditorialPolicy`` flags. Media assets are
passed as ``MediaFacts`` (see ``media_facts`` for turning a ``MediaAsset`` into one).

The rules and their problem codes are described in ``docs/accessibility-checks.md``:

* media: ``alt_text_missing``, ``alt_text_filename``, ``alt_text_redundant_prefix``,
  ``alt_text_short``, ``alt_text_long``, ``captions_missing``;
* hashtags: ``hashtag_camelcase`` (with a concrete suggestion), ``hashtag_lowercase``;
* emojis: ``emoji_many``, ``emoji_mid_sentence``, ``emoji_sequence``.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import regex
from django.utils.translation import gettext as _

from channels_app.adapters.base import Problem
from channels_app.adapters.base import ProblemSeverity
from channels_app.adapters.text import MASTODON_MENTION_PATTERN
from channels_app.adapters.text import URL_PATTERN

__all__ = [
    "ALT_TEXT_MAX_LENGTH",
    "ALT_TEXT_MIN_LENGTH",
    "EMOJI_MAX_COUNT",
    "MediaFacts",
    "accessibility_problems",
    "emoji_problems",
    "hashtag_suggestions",
    "media_facts",
]

#: Alt text shorter than this (in user-perceived characters) rarely describes anything.
ALT_TEXT_MIN_LENGTH = 10
#: X rejects longer alt text; other platforms cut it or make it tedious to listen to.
ALT_TEXT_MAX_LENGTH = 1000
#: More emojis than this in one text get a warning.
EMOJI_MAX_COUNT = 3
#: This many emojis in a row (spaces between them allowed) get a warning.
EMOJI_SEQUENCE_LENGTH = 3
#: A lower-case run of letters longer than this that cannot be split into known words is
#: probably several words: the author gets a general hint to capitalise them.
HASHTAG_UNKNOWN_MAX_LENGTH = 10
#: Hashtags longer than this are not segmented (keeps the dynamic programming cheap).
HASHTAG_SEGMENT_MAX_LENGTH = 100


@dataclass(frozen=True)
class MediaFacts:
    """What the checks need of a media asset, so that they stay free of the database."""

    kind: str  # "image" or "video" (``MediaAsset.Kind``)
    alt_text: str
    has_captions: bool
    label: str = ""  # e.g. the original file name, for messages and the file-name check


def media_facts(asset: Any) -> MediaFacts:
    """The facts of a ``MediaAsset`` (or anything with ``kind``, ``alt_text``,
    ``captions_file`` and ``original_name``). An empty ``FieldFile`` is falsy."""
    return MediaFacts(
        kind=str(getattr(asset, "kind", "") or ""),
        alt_text=str(getattr(asset, "alt_text", "") or ""),
        has_captions=bool(getattr(asset, "captions_file", None)),
        label=str(getattr(asset, "original_name", "") or ""),
    )


def accessibility_problems(
    text: str,
    media: Sequence[MediaFacts],
    *,
    alt_text_required: bool = True,
    captions_required: bool = True,
    field: str = "text",
) -> list[Problem]:
    """All accessibility problems of a post: media first (field ``media.<index>``), then
    hashtags and emojis in ``text`` (field ``field``).

    ``alt_text_required`` / ``captions_required`` are the ``EditorialPolicy`` flags: when set,
    missing alt text / captions are errors (they block review), otherwise warnings. Every other
    problem is a warning."""
    problems: list[Problem] = []
    for index, item in enumerate(media):
        problems.extend(
            _media_problems(
                item,
                f"media.{index}",
                alt_text_required=alt_text_required,
                captions_required=captions_required,
            )
        )
    problems.extend(_hashtag_problems(text, field=field))
    problems.extend(emoji_problems(text, field=field))
    return problems


# --- Media -------------------------------------------------------------------------------

_GRAPHEME = regex.compile(r"\X")

_MEDIA_EXTENSIONS = (
    "jpg|jpeg|jpe|png|gif|webp|heic|heif|avif|tif|tiff|bmp|svg|raw|dng|cr2|nef|"
    "mp4|m4v|mov|webm|avi|mkv|mpg|mpeg|3gp|wmv|pdf"
)
# "IMG_1234.jpg", "foto (2).png", "Pressebild-Rathaus_final.jpeg": one token plus extension.
_FILE_NAME = regex.compile(rf"[\w\-.()\[\]~+ ]+\.(?:{_MEDIA_EXTENSIONS})", regex.IGNORECASE)
# What cameras, phones and screenshot tools name files, also without the extension.
_CAMERA_NAME = regex.compile(
    r"(?:IMG|DSC|DSCN|DSCF|DCIM|PXL|MVI|VID|GOPR|GX|MOV|PICT|P|Screenshot|Bildschirmfoto)"
    r"[\s_\-]*\d[\w\-.]*",
    regex.IGNORECASE,
)
# Screen readers already announce "image"/"Grafik": these openings only repeat it.
_REDUNDANT_PREFIXES = (
    "bild von",
    "bild vom",
    "bild der",
    "bild des",
    "foto von",
    "foto vom",
    "foto der",
    "foto des",
    "ein bild von",
    "ein foto von",
    "grafik von",
    "image of",
    "picture of",
    "photo of",
    "an image of",
    "a picture of",
    "a photo of",
)
_REDUNDANT_PREFIX = regex.compile(
    r"(?:" + "|".join(regex.escape(p) for p in _REDUNDANT_PREFIXES) + r")\b",
    regex.IGNORECASE,
)


def _media_problems(
    item: MediaFacts, field: str, *, alt_text_required: bool, captions_required: bool
) -> list[Problem]:
    problems: list[Problem] = []
    name = item.label or _("this file")
    alt_text = item.alt_text.strip()
    if item.kind == "video" and not item.has_captions:
        problems.append(
            Problem(
                "captions_missing",
                field,
                _(
                    "The video %(name)s has no captions. Upload a subtitle file (WebVTT) so "
                    "that deaf and hard-of-hearing people can follow what is said."
                )
                % {"name": name},
                ProblemSeverity.ERROR if captions_required else ProblemSeverity.WARNING,
            )
        )
    if not alt_text:
        if item.kind == "image":
            problems.append(
                Problem(
                    "alt_text_missing",
                    field,
                    _(
                        "The image %(name)s has no alternative text. Describe what it shows "
                        "and what matters about it, so that blind people learn it from their "
                        "screen reader."
                    )
                    % {"name": name},
                    ProblemSeverity.ERROR if alt_text_required else ProblemSeverity.WARNING,
                )
            )
        return problems
    problems.extend(_alt_text_quality(alt_text, item.label, field, name))
    return problems


def _looks_like_file_name(alt_text: str, label: str) -> bool:
    folded = alt_text.casefold()
    if label and folded in {label.strip().casefold(), _stem(label).casefold()}:
        return True
    return bool(_FILE_NAME.fullmatch(alt_text) or _CAMERA_NAME.fullmatch(alt_text))


def _stem(file_name: str) -> str:
    stem, dot, _extension = file_name.strip().rpartition(".")
    return stem if dot and stem else file_name.strip()


def _alt_text_quality(alt_text: str, label: str, field: str, name: str) -> list[Problem]:
    warning = ProblemSeverity.WARNING
    if _looks_like_file_name(alt_text, label):
        return [
            Problem(
                "alt_text_filename",
                field,
                _(
                    "The alternative text of %(name)s is a file name (“%(alt)s”). Screen "
                    "readers read it out letter by letter; describe what the image shows "
                    "instead."
                )
                % {"name": name, "alt": alt_text},
                warning,
            )
        ]
    problems: list[Problem] = []
    prefix = _REDUNDANT_PREFIX.match(alt_text)
    if prefix:
        problems.append(
            Problem(
                "alt_text_redundant_prefix",
                field,
                _(
                    "Leave out “%(prefix)s” at the start of the alternative text of %(name)s: "
                    "screen readers already announce that this is an image. Start directly "
                    "with what it shows."
                )
                % {"prefix": prefix.group(0), "name": name},
                warning,
            )
        )
    length = len(_GRAPHEME.findall(alt_text))
    if length < ALT_TEXT_MIN_LENGTH:
        problems.append(
            Problem(
                "alt_text_short",
                field,
                _(
                    "The alternative text of %(name)s (“%(alt)s”) is very short. Describe in "
                    "a sentence what the image shows and why it matters for the post."
                )
                % {"name": name, "alt": alt_text},
                warning,
            )
        )
    elif length > ALT_TEXT_MAX_LENGTH:
        problems.append(
            Problem(
                "alt_text_long",
                field,
                _(
                    "The alternative text of %(name)s is %(length)d characters long. Several "
                    "platforms reject or cut alternative text longer than %(max)d characters "
                    "(X, for instance); keep it concise and put details into the post text."
                )
                % {"name": name, "length": length, "max": ALT_TEXT_MAX_LENGTH},
                warning,
            )
        )
    return problems


# --- Hashtags ----------------------------------------------------------------------------

# "#" not preceded by a word character, "#", "&" or "/" (anchors in URLs, C#, &#123;).
_HASHTAG = regex.compile(r"(?<![\w#&/])#(?P<tag>[\p{L}\p{M}\p{N}_]+)")
# Alternating runs inside one underscore-separated part of a hashtag.
_HASHTAG_RUN = regex.compile(r"[\p{L}\p{M}]+|\p{N}+")
# Linking elements of German compounds ("Verkehr-s-unfall"), allowed after a non-final word.
_LINKING_ELEMENTS = ("s",)


@cache
def _vocabulary() -> frozenset[str]:
    """The lower-case words hashtags are segmented into, loaded once. Words with "ß" are
    also known in their "ss" spelling (Swiss German, and people who avoid the ß)."""
    text = resources.files("editorial").joinpath("data/hashtag_words.txt").read_text("utf-8")
    words: set[str] = set()
    for line in text.splitlines():
        word = unicodedata.normalize("NFC", line.strip()).lower()
        if word and not word.startswith("#"):
            words.add(word)
            if "ß" in word:
                words.add(word.replace("ß", "ss"))
    return frozenset(words)


@cache
def _max_word_length() -> int:
    return max((len(word) for word in _vocabulary()), default=0)


def _segment(run: str) -> list[str] | None:
    """Split a lower-case run of letters into vocabulary words (keeping the letters as
    written), preferring fewer words, then fewer linking elements, then longer words.
    ``None`` when it cannot be split completely."""
    vocabulary = _vocabulary()
    longest = _max_word_length() + max(len(e) for e in _LINKING_ELEMENTS)
    size = len(run)
    # best[i]: (cost, cut positions) for run[:i]; cost = (words, links, -sum of squares).
    best: list[tuple[tuple[int, int, int], tuple[int, ...]] | None] = [None] * (size + 1)
    best[0] = ((0, 0, 0), ())
    for end in range(1, size + 1):
        for start in range(max(0, end - longest), end):
            previous = best[start]
            if previous is None:
                continue
            chunk = unicodedata.normalize("NFC", run[start:end])
            links = 0
            if chunk not in vocabulary:
                if end == size or not any(
                    chunk.endswith(e) and chunk[: -len(e)] in vocabulary for e in _LINKING_ELEMENTS
                ):
                    continue
                links = 1
            (words, link_count, squares), cuts = previous
            cost = (words + 1, link_count + links, squares - (end - start) ** 2)
            current = best[end]
            if current is None or cost < current[0]:
                best[end] = (cost, (*cuts, end))
    result = best[size]
    if result is None:
        return None
    cuts = (0, *result[1])
    return [run[a:b] for a, b in itertools.pairwise(cuts)]


def _capitalise(word: str) -> str:
    first = word[:1].upper()
    # "ß".upper() is "SS": never change more than the case of one letter.
    return (first if len(first) == 1 else word[:1]) + word[1:]


@dataclass(frozen=True)
class _HashtagFinding:
    written: str  # "#stadtfestmusterstadt"
    suggestion: str | None  # "#StadtfestMusterstadt", or None: cannot be split


def _analyse_hashtag(tag: str) -> _HashtagFinding | None:
    """``None`` when the hashtag is fine: not all lower case, or a single word."""
    if any(c.isupper() or c.istitle() for c in tag) or not any(c.islower() for c in tag):
        return None
    if len(tag) > HASHTAG_SEGMENT_MAX_LENGTH:
        return _HashtagFinding("#" + tag, None)
    parts: list[str] = []
    tokens_per_part: list[int] = []
    for part in tag.split("_"):
        pieces: list[str] = []
        tokens = 0
        for match in _HASHTAG_RUN.finditer(part):
            run = match.group(0)
            if run[0].isdigit() or not any(c.isalpha() for c in run):
                pieces.append(run)
                tokens += 1
                continue
            words = _segment(run)
            if words is None:
                if len(run) > HASHTAG_UNKNOWN_MAX_LENGTH:
                    return _HashtagFinding("#" + tag, None)
                words = [run]  # a short unknown word: left as one word
            pieces.extend(_capitalise(w) for w in words)
            tokens += len(words)
        parts.append("".join(pieces))
        tokens_per_part.append(tokens)
    # Underscores already separate words: only parts of two or more words need capitals.
    if max(tokens_per_part, default=0) < 2:
        return None
    return _HashtagFinding("#" + tag, "#" + "_".join(parts))


def hashtag_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, tag without "#") of each hashtag outside URLs; "#1" is not a hashtag."""
    urls = [m.span() for m in URL_PATTERN.finditer(text)]
    spans = []
    for match in _HASHTAG.finditer(text):
        if any(start <= match.start() < end for start, end in urls):
            continue
        tag = match.group("tag")
        if not any(c.isalpha() for c in tag):
            continue
        spans.append((match.start(), match.end(), tag))
    return spans


def _hashtag_findings(text: str) -> list[_HashtagFinding]:
    findings: list[_HashtagFinding] = []
    seen: set[str] = set()
    for _start, _end, tag in hashtag_spans(text):
        if tag in seen:
            continue
        seen.add(tag)
        finding = _analyse_hashtag(tag)
        if finding is not None:
            findings.append(finding)
    return findings


def hashtag_suggestions(text: str) -> list[tuple[str, str]]:
    """(hashtag as written, CamelCase suggestion) for each all-lower-case hashtag of several
    words, e.g. ``("#stadtfestmusterstadt", "#StadtfestMusterstadt")``; each hashtag once,
    in order of appearance. The suggestion differs from the hashtag only in letter case."""
    return [(f.written, f.suggestion) for f in _hashtag_findings(text) if f.suggestion]


def _hashtag_problems(text: str, *, field: str) -> list[Problem]:
    problems: list[Problem] = []
    for finding in _hashtag_findings(text):
        if finding.suggestion:
            problems.append(
                Problem(
                    "hashtag_camelcase",
                    field,
                    _(
                        "Write %(suggestion)s instead of %(hashtag)s so that screen readers "
                        "read the words separately."
                    )
                    % {"suggestion": finding.suggestion, "hashtag": finding.written},
                    ProblemSeverity.WARNING,
                )
            )
        else:
            problems.append(
                Problem(
                    "hashtag_lowercase",
                    field,
                    _(
                        "Screen readers read %(hashtag)s as one long word. If it consists of "
                        "several words, start each word with a capital letter (#LikeThis)."
                    )
                    % {"hashtag": finding.written},
                    ProblemSeverity.WARNING,
                )
            )
    return problems


# --- Emojis ------------------------------------------------------------------------------

_PICTOGRAPHIC = regex.compile(r"\p{Extended_Pictographic}")
# Shown as emoji by default, or turned into one: variation selector 16, ZWJ, keycap.
_EMOJI_STYLE = regex.compile(r"\p{Emoji_Presentation}|\p{Regional_Indicator}|\u20e3")
_EMOJI_JOINERS = regex.compile(r"[\ufe0f\u200d]")
_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")
_SENTENCE_BREAK = regex.compile(r"\n|[.!?…]+(?=\s|$)")
_HORIZONTAL_SPACE = regex.compile(r"[^\S\n]*")


def _is_emoji(grapheme: str) -> bool:
    """An emoji as people see it: "©", "™" or "↔" without variation selector are text."""
    if _EMOJI_STYLE.search(grapheme):
        return True
    return bool(_PICTOGRAPHIC.search(grapheme) and _EMOJI_JOINERS.search(grapheme))


def _emojis(text: str) -> list[tuple[int, int, str]]:
    """(start, end, emoji) for each emoji; a ZWJ family, a flag or a skin tone counts once."""
    return [
        (m.start(), m.end(), m.group(0)) for m in _GRAPHEME.finditer(text) if _is_emoji(m.group(0))
    ]


def _emoji_runs(text: str, emojis: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Emojis that follow each other, with at most spaces (no line break) between them."""
    runs: list[list[tuple[int, int, str]]] = []
    for emoji in emojis:
        if runs:
            last_end = runs[-1][-1][1]
            gap = text[last_end : emoji[0]]
            if _HORIZONTAL_SPACE.fullmatch(gap):
                runs[-1].append(emoji)
                continue
        runs.append([emoji])
    return runs


def _mask_links_and_tags(text: str) -> str:
    """``text`` with URLs, hashtags and mentions blanked out (same length): an emoji before
    the closing hashtags ends its sentence."""
    spans = [m.span() for m in URL_PATTERN.finditer(text)]
    spans += [(start, end) for start, end, _tag in hashtag_spans(text)]
    spans += [m.span() for m in MASTODON_MENTION_PATTERN.finditer(text)]
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    sentence_start = 0
    for match in _SENTENCE_BREAK.finditer(text, 0, start):
        sentence_start = match.end()
    following = _SENTENCE_BREAK.search(text, end)
    return sentence_start, following.start() if following else len(text)


def emoji_problems(text: str, *, field: str = "text") -> list[Problem]:
    """Warnings about emojis: screen readers read each emoji's full name ("grinning face with
    big eyes"), so many of them, several in a row or one in the middle of a sentence make the
    text hard to follow. Emojis at the end of a sentence or line are fine."""
    emojis = _emojis(text)
    if not emojis:
        return []
    warning = ProblemSeverity.WARNING
    problems: list[Problem] = []
    if len(emojis) > EMOJI_MAX_COUNT:
        problems.append(
            Problem(
                "emoji_many",
                field,
                _(
                    "The text contains %(count)d emojis. Screen readers read out the full name "
                    "of each one; use at most %(max)d and only where they add something."
                )
                % {"count": len(emojis), "max": EMOJI_MAX_COUNT},
                warning,
            )
        )
    masked = _mask_links_and_tags(text)
    for run in _emoji_runs(text, emojis):
        start, end = run[0][0], run[-1][1]
        shown = text[start:end]
        if len(run) >= EMOJI_SEQUENCE_LENGTH:
            problems.append(
                Problem(
                    "emoji_sequence",
                    field,
                    _(
                        "%(emojis)s: %(count)d emojis in a row are read out one name after "
                        "another. Keep one of them, or none."
                    )
                    % {"emojis": shown, "count": len(run)},
                    warning,
                )
            )
        sentence_start, sentence_end = _sentence_bounds(text, start, end)
        if _WORD_CHAR.search(masked, sentence_start, start) and _WORD_CHAR.search(
            masked, end, sentence_end
        ):
            problems.append(
                Problem(
                    "emoji_mid_sentence",
                    field,
                    _(
                        "%(emojis)s stands in the middle of a sentence: screen readers "
                        "interrupt the sentence to read its name. Move it to the end of the "
                        "sentence or line, or leave it out."
                    )
                    % {"emojis": shown},
                    warning,
                )
            )
    return problems
