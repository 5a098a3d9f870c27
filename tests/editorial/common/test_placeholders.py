"""The placeholder grammar of post templates (editorial/common/placeholders.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from editorial.common.placeholders import template_placeholders
from editorial.common.placeholders import template_render


def test_placeholders_with_umlauts_repeats_and_escaped_braces() -> None:
    text = "{ort}: {Straße} am {datum} {uhrzeit_2} {{kein}} {ort} {über} }}"
    assert template_placeholders(text) == ["ort", "Straße", "datum", "uhrzeit_2", "über"]


def test_escaped_braces_render_as_literal_braces() -> None:
    assert template_render("{{ort}} {ort} {{{ort}}} }} {{", {"ort": "Markt"}) == (
        "{ort} Markt {Markt} } {"
    )


FORMAT_STRING_INJECTION = "{0.__class__} {ort.__init__} {} {a b} {ort!r} {ort:>10} {ort[0]}"


def test_format_string_fields_are_no_placeholders() -> None:
    assert template_placeholders(FORMAT_STRING_INJECTION) == []


def test_format_string_fields_render_as_plain_text() -> None:
    assert template_render(FORMAT_STRING_INJECTION, {}) == FORMAT_STRING_INJECTION


def test_values_are_inserted_verbatim_in_one_pass() -> None:
    values = {"ort": "{datum} {0.__class__.__mro__}", "datum": "1. Mai"}
    assert template_render("{ort} / {datum}", values) == "{datum} {0.__class__.__mro__} / 1. Mai"


def test_missing_values_are_named() -> None:
    with pytest.raises(ValidationError) as error:
        template_render("{ort} {datum} {uhrzeit}", {"ort": "x", "datum": "   "})
    message = error.value.messages[0]
    assert "{datum}" in message and "{uhrzeit}" in message and "{ort}" not in message
