"""Text length as each platform counts it.

Python's ``len`` counts code points; platforms count graphemes (Bluesky), weighted code
points with URLs at a fixed length (X), or code points with URLs at 23 (Mastodon).
"""

from __future__ import annotations

import unicodedata

import regex

# A pragmatic URL matcher close to what the platforms' own linkifiers accept.
URL_PATTERN = regex.compile(
    r"(?<![\w@/])(?:https?://)[^\s<>\"'()\[\]{}]+[^\s<>\"'()\[\]{}.,;:!?]", regex.IGNORECASE
)
MASTODON_MENTION_PATTERN = regex.compile(
    r"(?<![\w/])@(?P<user>[\w.-]*\w)(?:@(?P<domain>[\w.-]+\.[a-z]{2,}))?", regex.IGNORECASE
)
_GRAPHEME = regex.compile(r"\X")
_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")


def grapheme_count(text: str) -> int:
    """User-perceived characters: an emoji ZWJ sequence or a letter plus accents is one."""
    return len(_GRAPHEME.findall(text))


def replace_urls(text: str, placeholder_length: int) -> str:
    return URL_PATTERN.sub(lambda _m: "x" * placeholder_length, text)


def mastodon_length(text: str, *, url_length: int = 23) -> int:
    """Mastodon counts every URL as ``url_length`` and a remote mention only by its local
    part (``@user@example.org`` counts as ``@user``); the rest in characters."""
    text = replace_urls(text, url_length)
    text = MASTODON_MENTION_PATTERN.sub(lambda m: "@" + m.group("user"), text)
    return grapheme_count(text)


# twitter-text configuration v3 (the one X uses): weight 100 for these ranges, 200 otherwise,
# every emoji sequence 200, every URL 23 characters, at most 280 weighted characters.
_X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
X_SCALE = 100
X_URL_LENGTH = 23


def _x_weight(grapheme: str) -> int:
    if _EMOJI.search(grapheme):
        return 200
    weight = 0
    for char in grapheme:
        code = ord(char)
        light = any(start <= code <= end for start, end in _X_LIGHT_RANGES)
        weight += 100 if light else 200
    return weight


def x_weighted_length(text: str) -> int:
    """Length in characters as X counts it (weighted sum / 100)."""
    text = unicodedata.normalize("NFC", text)
    weighted = 0
    position = 0
    for match in URL_PATTERN.finditer(text):
        weighted += sum(_x_weight(g) for g in _GRAPHEME.findall(text[position : match.start()]))
        weighted += X_URL_LENGTH * X_SCALE
        position = match.end()
    weighted += sum(_x_weight(g) for g in _GRAPHEME.findall(text[position:]))
    return weighted // X_SCALE


def utf16_length(text: str) -> int:
    """What JavaScript's ``length`` and several Meta/Telegram limits count."""
    return len(text.encode("utf-16-le")) // 2
