"""Text length as each platform counts it.

Python's ``len`` counts code points; platforms count graphemes (Bluesky), weighted code
points with URLs at a fixed length (X, twitter-text v3), or graphemes with URLs at 23
(Mastodon). Every helper here takes any ``str``, also one with lone surrogates, without
raising: such text is reported by validation (``has_lone_surrogates``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex
from twitter_text import parse_tweet
from twitter_text.config import config as twitter_text_config
from twitter_text.extract_urls import extract_urls_with_indices
from twitter_text.has_invalid_characters import has_invalid_characters

# A pragmatic URL matcher for links with a scheme (previews, accessibility checks, t.co
# comparison). Counting uses twitter-text's own extractor below, which also finds bare domains.
URL_PATTERN = regex.compile(
    r"(?<![\w@/])(?:https?://)[^\s<>\"'()\[\]{}]+[^\s<>\"'()\[\]{}.,;:!?]", regex.IGNORECASE
)
# Mastodon's Account::MENTION_RE: an ASCII user name (dots and dashes only inside), optionally
# ``@domain`` of word characters joined by dots or dashes.
MASTODON_MENTION_PATTERN = regex.compile(
    # No IGNORECASE: case folding would let the Kelvin sign and the long s into an ASCII name.
    r"(?<![=/\w])@(?P<user>[A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*)(?:@(?P<domain>\w+(?:[.-]+\w+)*))?"
)
# twitter-text's end_mention_match: an @ followed by another @, a Latin accent or "://" is
# not a mention.
_END_MENTION = regex.compile(r"@|[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f]|://")
MASTODON_MAX_DOMAIN = 253  # a DNS name's longest presentation form
_GRAPHEME = regex.compile(r"\X")
_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def has_lone_surrogates(text: str) -> bool:
    """Text that is not valid Unicode (half of a UTF-16 pair, e.g. from a JSON ``\\ud800``):
    no platform accepts it, and encoding it to UTF-8 would raise."""
    return bool(_SURROGATE.search(text))


def _encodable(text: str) -> str:
    # Counting must never raise: a lone surrogate counts as one replacement character; the
    # validation reports it separately (``has_lone_surrogates``).
    return _SURROGATE.sub("\ufffd", text)


def grapheme_count(text: str) -> int:
    """User-perceived characters: an emoji ZWJ sequence or a letter plus accents is one."""
    return len(_GRAPHEME.findall(text))


def utf8_length(text: str) -> int:
    """Bytes in UTF-8 (Bluesky's and YouTube's byte limits); never raises."""
    return len(_encodable(text).encode("utf-8"))


def utf16_length(text: str) -> int:
    """What JavaScript's ``length`` and several Meta/Telegram limits count."""
    return len(_encodable(text).encode("utf-16-le")) // 2


def mastodon_length(text: str, *, url_length: int = 23, spoiler_text: str = "") -> int:
    """Mastodon's ``StatusLengthValidator``: graphemes of the content warning plus the text,
    in which every URL twitter-text extracts *with* a scheme counts as ``url_length`` (a bare
    domain is not linked by Mastodon and counts in full; so does a URL over 4,096 characters,
    which twitter-text does not extract) and a mention ``@user@domain`` counts as ``@user``
    when it matches Mastodon's mention pattern with a plausible domain."""
    text = _encodable(text)
    replacements: list[tuple[int, int, str]] = [
        (start, end, "x" * url_length)
        for start, end in _twitter_url_spans(text, without_protocol=False)
    ]
    for match in MASTODON_MENTION_PATTERN.finditer(text):
        if _END_MENTION.match(text, match.end()):
            continue
        if any(start < match.end() and match.start() < end for start, end, _ in replacements):
            continue  # twitter-text drops a mention that overlaps a URL
        domain = match.group("domain")
        if domain and ("." not in domain or len(domain) > MASTODON_MAX_DOMAIN):
            continue  # Mastodon cannot resolve it: the text counts as written
        replacements.append((match.start(), match.end(), "@" + match.group("user")))
    replacements.sort()
    parts: list[str] = []
    position = 0
    for start, end, replacement in replacements:
        parts += [text[position:start], replacement]
        position = end
    parts.append(text[position:])
    return grapheme_count(_encodable(spoiler_text) + "".join(parts))


def without_twitter_urls(text: str, replacement: str = " ") -> str:
    """``text`` with every URL twitter-text finds (bare domains too) replaced: X turns each of
    them into a t.co link, so they cannot be compared as written."""
    text = _encodable(text)
    parts: list[str] = []
    position = 0
    for start, end in _twitter_url_spans(text, without_protocol=True):
        parts += [text[position:start], replacement]
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _twitter_url_spans(text: str, *, without_protocol: bool) -> list[tuple[int, int]]:
    # twitter-text-parser: a port of twitter-text v3's extractor (hosts need valid labels and
    # a known TLD; bare domains only when ``without_protocol``); indices are code points.
    # The known TLDs are twitter-text's own list (its tld_lib.yml, shipped by the package as
    # ``twitter_text.regexp.valid_gtld``/``valid_cctld``), the one X and Mastodon's server
    # (the twitter-text gem) check against: one list for both counters, kept up to date by
    # upgrading the package, never copied here. Bluesky's link facets check another list,
    # the npm package ``tlds`` its RichText uses (``bluesky_tlds``): the platforms differ,
    # e.g. ``.music`` and ``.kids`` are links on Bluesky but not in twitter-text's list.
    return [
        (int(entity["indices"][0]), int(entity["indices"][1]))
        for entity in extract_urls_with_indices(text, without_protocol)
    ]


# twitter-text configuration v3, the one X uses (weights 100/200 by code point range, every
# emoji sequence 200, every URL 23 characters, 280 weighted characters). Counted by
# twitter-text-parser, which passes twitter-text's own conformance cases
# (tests/channels_app/adapters/test_text.py).
X_MAX_WEIGHTED_LENGTH = 280


@dataclass(frozen=True)
class XCount:
    weighted_length: int
    # False also for characters X refuses whatever the length (U+FFFE, U+FFFF, ...).
    valid: bool
    has_invalid_characters: bool


def x_count(text: str, *, config: dict[str, Any] | None = None) -> XCount:
    """The text as X counts it: twitter-text's ``parseTweet``."""
    text = _encodable(text)
    result = parse_tweet(text, config or twitter_text_config["version3"])
    invalid = has_invalid_characters(text)
    return XCount(int(result.weightedLength), bool(result.valid), invalid)


def x_weighted_length(text: str) -> int:
    """Length in characters as X counts it (weighted sum / 100)."""
    return x_count(text).weighted_length
