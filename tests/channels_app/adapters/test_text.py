# ruff: noqa: RUF001 - the conformance texts are full of look-alike punctuation on purpose
"""Counting as the platforms count: X against twitter-text's own conformance cases, Mastodon
against its StatusLengthValidator, and text that is not valid Unicode on every adapter.

The X cases below are taken from twitter-text's public conformance file
``conformance/tests/validate.yml`` (github.com/twitter/twitter-text, commit 3b8031c8),
sections ``WeightedTweetsWithDiscountedEmojiCounterTest`` (configuration v3, the one X uses),
``UnicodeDirectionalMarkerCounterTest``, ``WeightedTweetsCounterTest`` (configuration v2,
where an emoji is weighed per code point) and the URL cases of ``lengths``. Copyright
Twitter, Inc., licensed under the Apache License 2.0
(http://www.apache.org/licenses/LICENSE-2.0). Texts made of repetitions are written as
Python expressions that produce the file's exact text; only the 12,076-character case
"Handle long url with invalid domain labels and short url" is rebuilt with the same shape
and its expected value derived the same way (both long URLs counted in full, the short
one as 23), because its repetition count could not be transcribed reliably.
"""

from __future__ import annotations

import pytest
from twitter_text.config import config as twitter_text_config

from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import ProblemSeverity
from channels_app.adapters.registry import ADAPTER_PATHS
from channels_app.adapters.registry import adapter_class
from channels_app.adapters.text import mastodon_length
from channels_app.adapters.text import utf8_length
from channels_app.adapters.text import utf16_length
from channels_app.adapters.text import x_count
from channels_app.adapters.text import x_weighted_length

POEM = (
    "故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。朱雀桥边野草花，"
    "乌衣巷口夕阳斜。旧时王谢堂前燕，飞入寻常百姓家。朝辞白帝彩云间，千里江陵一日还。"
    "两岸猿声啼不住，轻舟已过万重山。泪湿罗巾梦不成，夜深前殿按歌声。红颜未老恩先断，"
    "斜倚薰笼坐到明。独在异乡为异客，每逢佳节倍思亲。遥知兄弟登高处，遍插茱萸少一人。"
)
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
KANA = "あいうえおかきくけこ"
PUNCTUATION = (
    "This is a tweet with general punctuation characters: "
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b"
)
PUNCTUATION_TAIL = " ‐ ‑ ‒ – — ― ‖  ‗ ‘ ’ ‚ ‛ “ ” „ ‟ ′ ″ ‴ ‵ ‶ ‷"
LONG_LABELS = "https://" + "somesuperlongurl" * 374 + ".com/foo"
LONG_URL_TEXT = (
    "Long url with invalid domain labels and a short url: "
    + LONG_LABELS
    + " "
    + LONG_LABELS
    + " https://validurl.com"
)

# (description, text, weightedLength, valid); the same in v2 and v3 unless listed below.
COMMON = [
    ("Regular Tweet with url", "Hi http://test.co", 26, True),
    ("Just url", "http://test.co", 23, True),
    ("Long tweet, overflow at char index 280", "285 chars-" + "xxxxxxxxxx-" * 25, 285, False),
    (
        "Long tweet with url in the middle, overflow at char index 284",
        "285 chars- http://www.twitter.com/jack " + "xxxxxxxxxx-" * 24,
        299,
        False,
    ),
    (
        "Long tweet with url at the end, overflow at char index 265",
        "xxxxxxxxxx-" * 24 + " http://www.twitter.com/jack ",
        289,
        False,
    ),
    ("10 url string, no overflow", "https://www.twitter.com/aloha " * 10, 240, True),
    ("160 CJK char, overflow at char index 140", POEM, 320, False),
    ("160 emoji char, overflow at char index 140", "\U0001f637" * 160, 320, False),
    ("3 latin char + 160 CJK char, overflow at char index 141", "the" + POEM, 323, False),
    (
        "282 chars with a normalized character within valid range but outside 280",
        "282 chars-" + "xxxxxxxxxx-" * 24 + "xxxxxA\u0301x",
        281,
        False,
    ),
    ("Count unicode emoji chars inside the basic multilingual plane", "😷👾😡🔥💩", 10, True),
    (
        "Handle long url with invalid domain labels and short url (rebuilt)",
        LONG_URL_TEXT,
        len(LONG_URL_TEXT) - len("https://validurl.com") + 23,
        False,
    ),
    (
        "Handle a 64 character domain without protocol",
        "randomurl" * 7 + "s.com",
        68,
        True,
    ),
    (
        "Do not allow > 140 CJK characters by virtue of CJK chars greater than 63 punycode"
        " encoded chars in the host",
        KANA * 12 + " http://" + KANA * 5 + "あいう.com",
        358,
        False,
    ),
    (
        "Allow > 140 CJK characters by virtue of CJK chars less than 63 punycode encoded"
        " chars in the host",
        KANA * 12 + " http://" + KANA * 5 + "あい.com",
        264,
        True,
    ),
]
V3_ONLY = [
    (
        "Count a mix of single byte single word, and double word unicode characters",
        "H\U0001f431\u263a" + FAMILY,
        7,
        True,
    ),
    (
        "Count unicode emoji chars outside the basic multilingual plane with skin tone modifiers",
        "\U0001f64b\U0001f3fd\U0001f468\u200d\U0001f3a4",
        4,
        True,
    ),
    (
        "Handle General Punctuation Characters with visible spaces(u2000-200A), no ZWJ/ZWNJ",
        PUNCTUATION + PUNCTUATION_TAIL,
        110,
        True,
    ),
    ("140 family emoji", FAMILY * 140, 280, True),
    (
        "Unicode 10.0 emoji",
        "Unicode 10.0 emoji: \U0001f92a; \U0001f9d5; \U0001f9d5\U0001f3fe; "
        "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
        34,
        True,
    ),
    (
        "Unicode 9.0 emoji",
        "Unicode 9.0 emoji: \U0001f920; \U0001f483; \U0001f483\U0001f3fe",
        29,
        True,
    ),
    # UnicodeDirectionalMarkerCounterTest
    ("Handle invalid characters", "ABC\u202a\uffffABC\ufffe", 12, False),
    (
        "Tweet text containing directional characters should be considered valid",
        "\u2066\u202ahttp://foobar.\u067e\u0627\u06a9\u0633\u062a\u0627\u0646/\u202c\u2069",
        31,
        True,
    ),
    # lengths (configuration v1 there; the same under v3 for these ASCII texts)
    ("Count the number of characters", "This is a test.", 15, True),
    ("Count a URL starting with http:// as 23 characters", "http://test.com", 23, True),
    ("Count a URL starting with https:// as 23 characters", "https://test.com", 23, True),
    ("Count a URL without protocol as 23 characters", "test.com", 23, True),
    (
        "Count multiple URLs correctly",
        "Test https://test.com test https://test.com test.com test",
        86,
        True,
    ),
]
V2_ONLY = [
    (
        "Count a mix of single byte single word, and double word unicode characters",
        "H\U0001f431\u263a" + FAMILY,
        16,
        True,
    ),
    (
        "Count unicode emoji chars outside the basic multilingual plane with skin tone modifiers",
        "\U0001f64b\U0001f3fd\U0001f468\u200d\U0001f3a4",
        9,
        True,
    ),
    (
        "Handle General Punctuation Characters with visible spaces(u2000-200A)",
        PUNCTUATION + "\u200c\u200d" + PUNCTUATION_TAIL,
        112,
        True,
    ),
    ("'Á' is normalized into 1 char", "A\u0301B", 2, True),
    ("שּׁ is normalized into 3 chars", "A\ufb2c", 4, True),
]


def _case_id(case: tuple[str, str, int, bool]) -> str:
    return case[0][:60]


@pytest.mark.parametrize("case", COMMON + V3_ONLY, ids=_case_id)
def test_x_counts_as_twitter_text_v3(case: tuple[str, str, int, bool]) -> None:
    _description, text, weighted_length, valid = case
    count = x_count(text)
    assert (count.weighted_length, count.valid) == (weighted_length, valid)


@pytest.mark.parametrize("case", COMMON + V2_ONLY, ids=_case_id)
def test_x_counter_passes_the_v2_sections_too(case: tuple[str, str, int, bool]) -> None:
    # The same counter with configuration v2 shows the emoji discount is v3's doing.
    _description, text, weighted_length, valid = case
    count = x_count(
        text, config={**twitter_text_config["version2"], "emoji_parsing_enabled": False}
    )
    assert (count.weighted_length, count.valid) == (weighted_length, valid)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Umleitung: www.musterstadt.de/verkehr", 11 + 23),
        ("Mehr unter musterstadt.de/termine.", 11 + 23 + 1),
        ("Datei bericht.pdfx liegt bei", 28),  # not a known TLD: no URL
        ("1\u20e3 Termin", 2 + 7),  # a keycap without FE0F is one emoji
        ("1\ufe0f\u20e3 Termin", 2 + 7),
        ("\u200fhttps://musterstadt.de\u200f", 2 + 23 + 2),  # marks are not part of the URL
    ],
)
def test_x_counts_bare_domains_keycaps_and_marks(text: str, expected: int) -> None:
    assert x_weighted_length(text) == expected


def test_x_refuses_non_characters_even_when_short() -> None:
    from channels_app.adapters.x import XAdapter

    adapter = XAdapter(ChannelContext(platform="x"), {})
    problems = adapter.validate(PostContent(text="Hallo \uffff"))
    assert [p.code for p in problems] == ["text_invalid_characters"]


# --- Mastodon (StatusLengthValidator) ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Info: https://www.musterstadt.de/verkehr", 6 + 23),
        # Mastodon links only URLs with a scheme: a bare domain counts as written.
        ("Info: musterstadt.de/verkehr", 28),
        ("@presse@social.bund.de", len("@presse")),
        ("Hallo @presse", len("Hallo @presse")),
        # A domain without a dot or longer than 253 characters is no mention Mastodon makes.
        ("@presse@localhost", len("@presse@localhost")),
        ("@a@" + "b" * 251 + ".de", 3 + 251 + 3),
        ("@a@" + "b" * 240 + ".de", 2),
        # Not an ASCII user name: no mention.
        ("@präsident@social.bund.de", len("@präsident@social.bund.de")),
        ("mail@musterstadt.de", len("mail@musterstadt.de")),
    ],
)
def test_mastodon_counts_as_its_status_length_validator(text: str, expected: int) -> None:
    assert mastodon_length(text) == expected


def test_mastodon_counts_a_url_over_4096_characters_in_full() -> None:
    url = "https://musterstadt.de/" + "a" * 4100
    assert mastodon_length(url) == len(url)
    assert mastodon_length("https://musterstadt.de/" + "a" * 4000) == 23


def test_mastodon_counts_the_content_warning() -> None:
    assert mastodon_length("Text https://musterstadt.de", spoiler_text="Baustelle") == 9 + 5 + 23


# --- Known top-level domains -----------------------------------------------------------------
# X and Mastodon check hosts against twitter-text's TLD list (shipped by twitter-text-parser);
# Bluesky against the npm package ``tlds`` (``channels_app.adapters.bluesky_tlds``).


@pytest.mark.parametrize(
    ("text", "x", "mastodon"),
    [
        # A city gTLD (delegated 2014) is in the list: a URL for X even without a scheme;
        # Mastodon links it with a scheme only.
        ("Infos: example.berlin", 7 + 23, 21),
        ("Infos: https://example.berlin/x", 7 + 23, 7 + 23),
        ("Infos: musterstadt.koeln", 7 + 23, 24),
        # Not a TLD: no URL anywhere, the text counts as written, with a scheme too.
        ("Infos: example.notatld", 22, 22),
        ("Infos: https://example.notatld/x", 32, 32),
    ],
)
def test_x_and_mastodon_know_the_same_top_level_domains(text: str, x: int, mastodon: int) -> None:
    assert x_weighted_length(text) == x
    assert mastodon_length(text) == mastodon


def test_one_tld_list_serves_x_and_mastodon() -> None:
    from twitter_text.regexp.valid_gtld import valid_gtld

    assert valid_gtld.search("berlin") and not valid_gtld.fullmatch("notatld")


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("Termine: musterstadt.berlin", ["https://musterstadt.berlin"]),
        ("Termine: musterstadt.notatld", []),
    ],
)
def test_bluesky_links_a_bare_domain_only_with_a_known_tld(text: str, links: list[str]) -> None:
    from channels_app.adapters.bluesky import _links

    assert [uri for _start, _end, uri in _links(text)] == links


# --- Text that is not valid Unicode ---------------------------------------------------------


def test_counting_helpers_never_raise_on_a_lone_surrogate() -> None:
    assert utf16_length("a\ud800") == 2
    assert utf8_length("a\ud800") == 1 + 3
    assert x_weighted_length("a\ud800") == 3
    assert mastodon_length("a\ud800") == 2


@pytest.mark.parametrize("platform", sorted(ADAPTER_PATHS))
def test_every_adapter_reports_a_lone_surrogate_as_a_validation_message(platform: str) -> None:
    adapter = adapter_class(platform)(ChannelContext(platform=platform), {})
    content = PostContent(text="Hallo \ud800 Welt", title="Titel")
    adapter.text_length(content)  # the editor's counter must not raise either
    problems = [p for p in adapter.validate(content) if p.severity == ProblemSeverity.ERROR]
    assert [p.code for p in problems if p.field == "text"] == ["text_malformed"]
