"""The accessibility checks of the post editor: pure functions, no database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.utils import translation

from channels_app.adapters.base import Problem
from channels_app.adapters.base import ProblemSeverity
from editorial.posts.accessibility import MediaFacts
from editorial.posts.accessibility import _vocabulary
from editorial.posts.accessibility import accessibility_problems
from editorial.posts.accessibility import emoji_problems
from editorial.posts.accessibility import hashtag_suggestions
from editorial.posts.accessibility import media_facts

ERROR = ProblemSeverity.ERROR
WARNING = ProblemSeverity.WARNING

GOOD_ALT = "Zwei Feuerwehrleute löschen einen brennenden Papiercontainer vor dem Rathaus."


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def image(alt_text: str = GOOD_ALT, label: str = "pressefoto.jpg") -> MediaFacts:
    return MediaFacts(kind="image", alt_text=alt_text, has_captions=False, label=label)


def video(*, has_captions: bool, alt_text: str = "") -> MediaFacts:
    return MediaFacts(kind="video", alt_text=alt_text, has_captions=has_captions, label="clip.mp4")


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


# --- Media ---------------------------------------------------------------------------------


def test_good_post_has_no_problems() -> None:
    text = "Das Stadtfest beginnt heute um 18 Uhr. #StadtfestMusterstadt 🎉"
    assert accessibility_problems(text, [image(), video(has_captions=True)]) == []


@pytest.mark.parametrize("alt_text", ["", "   \n"])
def test_missing_alt_text_is_an_error_when_required(alt_text: str) -> None:
    [problem] = accessibility_problems("", [image(GOOD_ALT), image(alt_text, "a.png")])
    assert (problem.code, problem.field, problem.severity) == ("alt_text_missing", "media.1", ERROR)
    assert "a.png" in problem.message


def test_missing_alt_text_is_a_warning_when_not_required() -> None:
    [problem] = accessibility_problems("", [image("")], alt_text_required=False)
    assert (problem.code, problem.severity) == ("alt_text_missing", WARNING)


def test_video_without_alt_text_needs_none() -> None:
    assert accessibility_problems("", [video(has_captions=True)]) == []


@pytest.mark.parametrize(
    ("alt_text", "label"),
    [
        ("IMG_1234.jpg", ""),
        ("DSC01234", ""),
        ("pressefoto-rathaus_final.jpeg", ""),
        ("Sommerfest Rathaus 2026", "Sommerfest Rathaus 2026.png"),  # the upload's name
        ("Screenshot 2026-05-04 at 10.22.33.png", ""),
        ("Sommerfest Rathaus 2026.png", "Sommerfest Rathaus 2026.png"),
    ],
)
def test_file_name_as_alt_text(alt_text: str, label: str) -> None:
    [problem] = accessibility_problems("", [image(alt_text, label)])
    assert (problem.code, problem.field, problem.severity) == (
        "alt_text_filename",
        "media.0",
        WARNING,
    )


@pytest.mark.parametrize(
    "alt_text",
    [
        "Bild von einem Feuerwehrauto vor dem Rathaus",
        "Foto von der Eröffnung des Bürgerbüros am Marktplatz",
        "image of the new town hall at night",
        "Picture of the mayor cutting a ribbon",
    ],
)
def test_redundant_prefix(alt_text: str) -> None:
    [problem] = accessibility_problems("", [image(alt_text)])
    assert (problem.code, problem.severity) == ("alt_text_redundant_prefix", WARNING)
    assert alt_text.split()[0] in problem.message


def test_short_alt_text_and_redundant_prefix_together() -> None:
    assert codes(accessibility_problems("", [image("Foto von")])) == [
        "alt_text_redundant_prefix",
        "alt_text_short",
    ]


@pytest.mark.parametrize("alt_text", ["Hund", "Rathaus", "Plan 2026", "👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽"])
def test_short_alt_text(alt_text: str) -> None:
    assert codes(accessibility_problems("", [image(alt_text)])) == ["alt_text_short"]


def test_alt_text_of_1000_characters_is_not_too_long() -> None:
    assert accessibility_problems("", [image("ä" * 1000)]) == []


def test_alt_text_over_1000_characters_is_a_warning_naming_its_length() -> None:
    [problem] = accessibility_problems("", [image("ä" * 1001)])
    assert (problem.code, problem.severity) == ("alt_text_long", WARNING)
    assert "1001" in problem.message


def test_missing_captions_is_an_error_when_required() -> None:
    [required] = accessibility_problems("", [image(), video(has_captions=False)])
    assert (required.code, required.field, required.severity) == (
        "captions_missing",
        "media.1",
        ERROR,
    )


def test_missing_captions_is_a_warning_when_not_required() -> None:
    media = [image(), video(has_captions=False)]
    [optional] = accessibility_problems("", media, captions_required=False)
    assert (optional.code, optional.severity) == ("captions_missing", WARNING)


@dataclass
class Asset:  # duck-typed like MediaAsset; an empty FieldFile is falsy
    kind: str
    alt_text: str
    captions_file: object
    original_name: str


def test_media_facts_from_a_media_asset_like_object() -> None:
    assert media_facts(Asset("video", "", "", "clip.mp4")) == MediaFacts(
        "video", "", has_captions=False, label="clip.mp4"
    )


def test_media_facts_of_a_video_with_a_captions_file_have_captions() -> None:
    assert media_facts(Asset("video", "Text", "captions/clip.vtt", "clip.mp4")).has_captions


# --- Hashtags ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hashtag", "suggestion"),
    [
        ("#stadtfestmusterstadt", "#StadtfestMusterstadt"),
        ("#bürgerbüro", "#BürgerBüro"),  # umlauts; each vocabulary word is capitalised
        ("#sicherimstraßenverkehr", "#SicherImStraßenverkehr"),  # ß
        ("#strassensperrungköln", "#StrassensperrungKöln"),  # ss for ß, letters kept as written
        ("#wahl2026", "#Wahl2026"),  # digits
        ("#2026wahl", "#2026Wahl"),
        ("#tagderoffenentür", "#TagDerOffenenTür"),  # function words
        ("#stadtfestmusterstadt_2026", "#StadtfestMusterstadt_2026"),  # underscores kept
        ("#staysafe", "#StaySafe"),  # English
        ("#verkehrsunfallmünchen", "#VerkehrsunfallMünchen"),  # fewer, longer words
        ("#ordnungsdienstkoeln", None),  # unknown spelling, long: see hashtag_lowercase
    ],
)
def test_hashtag_suggestions(hashtag: str, suggestion: str | None) -> None:
    expected = [(hashtag, suggestion)] if suggestion else []
    assert hashtag_suggestions(f"Heute {hashtag} und mehr.") == expected


def test_hashtag_camelcase_problem() -> None:
    [problem] = accessibility_problems("Alle zum Fest! #stadtfestmusterstadt", [], field="body")
    assert (problem.code, problem.field, problem.severity) == (
        "hashtag_camelcase",
        "body",
        WARNING,
    )
    assert problem.message == (
        "Write #StadtfestMusterstadt instead of #stadtfestmusterstadt so that screen readers "
        "read the words separately."
    )


def test_fugen_s_joins_known_words() -> None:
    # "verkehr" + linking "s": compounds that are not in the vocabulary as such
    assert hashtag_suggestions("#verkehrsunfallflucht") == [
        ("#verkehrsunfallflucht", "#VerkehrsUnfallflucht")
    ]


HASHTAGS_WITHOUT_PROBLEMS = pytest.mark.parametrize(
    "text",
    [
        "#polizei #wahl #ordnungsamt #musterstadt",  # single words, also compounds known as such
        "#StadtfestMusterstadt #stadtfestMusterstadt #Stadtfestmusterstadt",  # has capitals
        "#stadtfest_musterstadt #wahl_2026",  # underscores already separate the words
        "Platz #1 und #2026!",  # numbers are no hashtags
        "https://musterstadt.de/news#stadtfestmusterstadt and www.x.de/#tagderoffenentür",
        "C#stadtfestmusterstadt &#stadtfestmusterstadt ##",  # not at a word start
        "#ffmkult",  # short and unknown: probably one word or an abbreviation
        "#東京 #москва",  # no capital letters possible / already capitalised
    ],
)


@HASHTAGS_WITHOUT_PROBLEMS
def test_hashtags_without_problems(text: str) -> None:
    assert accessibility_problems(text, []) == []


@HASHTAGS_WITHOUT_PROBLEMS
def test_hashtags_without_suggestions(text: str) -> None:
    assert hashtag_suggestions(text) == []


def test_repeated_hashtag_is_reported_once() -> None:
    text = "#wahl2026 ist heute. #wahl2026"
    assert hashtag_suggestions(text) == [("#wahl2026", "#Wahl2026")]


def test_unsegmentable_long_lowercase_hashtag() -> None:
    [problem] = accessibility_problems("#ordnungsdienstkoeln", [])
    assert (problem.code, problem.severity) == ("hashtag_lowercase", WARNING)
    assert "#ordnungsdienstkoeln" in problem.message


def test_vocabulary_is_loaded_once() -> None:
    assert _vocabulary() is _vocabulary()


def test_vocabulary_knows_function_words_and_places_in_both_spellings() -> None:
    assert {"und", "für", "zum", "musterstadt", "münchen", "straße", "strasse"} <= _vocabulary()


def test_vocabulary_is_single_lower_case_words() -> None:
    assert all(word == word.lower() and " " not in word for word in _vocabulary())


def test_vocabulary_is_large() -> None:
    assert len(_vocabulary()) > 1000


# --- Emojis --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Wir feiern heute 🎉",
        "Wir feiern heute 🎉!",
        "Wir feiern heute 🎉. Kommt vorbei 🥳",
        "Das Stadtfest beginnt 🎉\nKommt vorbei",
        "⚠️ Unfall auf der A3\n✅ Umleitung über die B8",  # bullets at line starts
        "Wir feiern 🎉 #StadtfestMusterstadt https://musterstadt.de",  # hashtags/links at the end
        "© Stadt Musterstadt, Marke™ ↔ Rathaus",  # text symbols are no emojis
        "Lust? 🎉 Dann kommt!",
    ],
)
def test_emojis_without_problems(text: str) -> None:
    assert emoji_problems(text) == []


def test_emoji_in_the_middle_of_a_sentence() -> None:
    [problem] = emoji_problems("Wir 🎉 feiern heute", field="body")
    assert (problem.code, problem.field, problem.severity) == (
        "emoji_mid_sentence",
        "body",
        WARNING,
    )
    assert "🎉" in problem.message


def test_three_emojis_are_not_too_many() -> None:
    assert emoji_problems("Sonne ☀️. Eis 🍦. Freibad 🏊") == []


def test_more_than_three_emojis() -> None:
    [problem] = emoji_problems("Sonne ☀️. Eis 🍦. Freibad 🏊. Urlaub 🏖️. Strand 🌊")
    assert (problem.code, problem.severity) == ("emoji_many", WARNING)
    assert "5" in problem.message


COMPOSED_EMOJIS = pytest.mark.parametrize(
    "emoji",
    [
        "👨\u200d👩\u200d👧\u200d👦",  # ZWJ family
        "🇩🇪",  # flag: two regional indicators
        "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # England: tag sequence
        "👍🏽",  # skin tone
        "1\ufe0f\u20e3",  # keycap
        "❤️",  # text symbol with variation selector 16
    ],
)


def _three(emoji: str) -> str:
    return f"Eins {emoji}. Zwei {emoji}. Drei {emoji}"


@COMPOSED_EMOJIS
def test_three_composed_emojis_count_as_three(emoji: str) -> None:
    assert emoji_problems(_three(emoji)) == []


@COMPOSED_EMOJIS
def test_four_composed_emojis_count_as_four(emoji: str) -> None:
    assert codes(emoji_problems(f"{_three(emoji)}. Vier {emoji}")) == ["emoji_many"]


def test_two_emojis_in_a_row_are_no_sequence() -> None:
    assert emoji_problems("Geschafft 🎉🎉!") == []


def test_emoji_sequence() -> None:
    [problem] = emoji_problems("Geschafft 🎉 🇩🇪 👍🏽!")
    assert (problem.code, problem.severity) == ("emoji_sequence", WARNING)
    assert "🎉 🇩🇪 👍🏽" in problem.message


def test_long_sequence_in_mid_sentence() -> None:
    assert codes(emoji_problems("Wir 🎉🎉🎉🎉 feiern")) == [
        "emoji_many",
        "emoji_sequence",
        "emoji_mid_sentence",
    ]


def test_emojis_on_separate_lines_are_no_sequence() -> None:
    assert emoji_problems("Termine:\n✅ online\n✅ per Telefon") == []


def test_all_checks_together() -> None:
    problems = accessibility_problems(
        "Wir 🎉 feiern #stadtfestmusterstadt",
        [image("IMG_0042.JPG"), video(has_captions=False)],
        alt_text_required=False,
        captions_required=True,
    )
    assert [(p.code, p.field, p.severity) for p in problems] == [
        ("alt_text_filename", "media.0", WARNING),
        ("captions_missing", "media.1", ERROR),
        ("hashtag_camelcase", "text", WARNING),
        ("emoji_mid_sentence", "text", WARNING),
    ]
