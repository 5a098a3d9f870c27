"""``QuickSelect`` writes the same ``<select>`` as Django's template-rendered one: the
attributes, the chosen option, escaped labels, option groups."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.utils.html import escape

from accounts.widgets import QuickSelect

CHOICES: list[Any] = [("", "---------"), ("1", "Presse & Öffentlichkeit"), ("2", "<b>Zwei</b>")]
GROUPED: list[Any] = [("Mastodon", [("1", "Stadt"), ("2", "Polizei")]), ("3", "Ohne Gruppe")]


def _options(html: str) -> list[tuple[str, str, bool]]:
    return [
        (value, label, " selected" in attrs)
        for value, attrs, label in re.findall(
            r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', html
        )
    ]


@pytest.mark.parametrize(("choices", "value"), [(CHOICES, "2"), (CHOICES, None), (GROUPED, "1")])
def test_the_options_are_those_of_djangos_select(choices: list[Any], value: str | None) -> None:
    attrs = {"id": "id_channel", "aria-describedby": "id_channel_helptext"}
    django = forms.Select(choices=choices).render("channel", value, attrs)

    quick = QuickSelect(choices=choices).render("channel", value, attrs)

    assert _options(quick) == _options(django)
    assert quick.count("<optgroup") == django.count("<optgroup")
    assert 'id="id_channel"' in quick
    assert 'aria-describedby="id_channel_helptext"' in quick


def test_labels_are_escaped() -> None:
    html = QuickSelect(choices=CHOICES).render("channel", None)

    assert escape("<b>Zwei</b>") in html
    assert "<b>" not in html
