"""The one placeholder grammar of post templates and emergency posts.

``{name}`` is a placeholder: a letter of any script or ``_`` first, then letters, digits or
``_``, at most 50 (``{Straße}``, ``{uhrzeit_2}``). ``{{`` and ``}}`` are literal braces, so
``{{ort}}`` is the text ``{ort}``. Anything else in braces (``{0}``, ``{ort.__class__}``,
``{a b}``) is plain text. Values are inserted verbatim in one pass: a value is never read as
a template, and nothing here reaches ``str.format``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any
from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# ``{{`` / ``}}`` first, so that ``{{ort}}`` is the literal text ``{ort}``.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^\W\d]\w{0,49})\}")


class TemplateText(Protocol):
    title: str
    text: str


def _tokens(text: str) -> Iterator[tuple[bool, str]]:
    """(is_placeholder, text or name) in order."""
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            yield False, text[position : match.start()]
        piece = match.group(0)
        if piece == "{{":
            yield False, "{"
        elif piece == "}}":
            yield False, "}"
        else:
            yield True, match.group(1)
        position = match.end()
    if position < len(text):
        yield False, text[position:]


def template_placeholders(*texts: str) -> list[str]:
    """The placeholder names in ``texts``, each once, in order of first appearance."""
    names: list[str] = []
    for text in texts:
        for is_name, value in _tokens(text):
            if is_name and value not in names:
                names.append(value)
    return names


def placeholder_value(values: Mapping[str, Any], name: str) -> str:
    """The value given for ``name``, stripped; empty when none was given."""
    value = values.get(name)
    return "" if value is None else str(value).strip()


def check_placeholder_values(names: list[str], values: Mapping[str, Any]) -> None:
    """Raise ``ValidationError`` on ``values`` naming every placeholder without a value."""
    missing = [name for name in names if not placeholder_value(values, name)]
    if missing:
        error = ValidationError(
            _("Fill in every placeholder. Missing: %(names)s")
            % {"names": ", ".join(f"{{{name}}}" for name in missing)},
            code="missing_placeholders",
            params={"names": missing},
        )
        raise ValidationError({"values": error})


def template_render(text: str, values: Mapping[str, Any]) -> str:
    """``text`` with every placeholder replaced by its value (plain text, inserted as is).

    Raises ``ValidationError`` naming every placeholder without a value."""
    check_placeholder_values(template_placeholders(text), values)
    return "".join(
        placeholder_value(values, value) if is_name else value for is_name, value in _tokens(text)
    )


def template_fill(template: TemplateText, values: Mapping[str, Any]) -> tuple[str, str]:
    """Title and text of a template with every placeholder of either filled in; refused,
    naming all of them, when any value is missing."""
    check_placeholder_values(template_placeholders(template.title, template.text), values)
    return template_render(template.title, values), template_render(template.text, values)
