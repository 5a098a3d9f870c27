"""Raw input from requests: whole numbers from query strings and ad-hoc form fields, and the
characters no input may hold.

* :func:`parse_int` / :func:`int_list` / :func:`int_param`: ids and numbers typed into
  query strings or posted outside a form. Only ASCII digits count: ``str.isdigit()`` also
  accepts ``²`` or ``٣``, which ``int()`` or the database then refuses with a 500.
* :func:`int_param`, :func:`bool_param`, :func:`choice_param`: API query filters. A filter
  given takes only what the schema allows (an empty value too is refused, with a 400 naming
  the parameter), never silently nothing.
* :func:`filter_values`: API query filters handed to a page's filter form, which takes an
  empty value as no filter: on the API a filter given empty is refused instead.
* :func:`text_is_clean` and the checks below it: a NUL byte or invalid Unicode (a lone
  surrogate from a JSON ``\\ud800`` escape, bytes that are no UTF-8) is refused before any view
  sees it (``accounts.middleware.MalformedInputMiddleware``); PostgreSQL cannot store NUL in
  text and the database driver cannot encode a lone surrogate, so both ended in a 500.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The largest id a database's bigint column holds: a longer number matches nothing.
MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]+")
# NUL and the surrogate code points, which are no characters on their own.
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")

EXPECTED_WHOLE_NUMBER = _("Expected a whole number.")
EXPECTED_BOOLEAN = _("Expected true or false.")
NOT_A_CHOICE = _("Not one of the values this filter takes.")
EMPTY_FILTER = _("Give this filter a value or leave it out.")


def parse_int(value: object) -> int | None:
    """``value`` as a non-negative whole number, if it is one written in ASCII digits (or
    already an ``int``) that a database id can hold; else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= MAX_ID else None
    if not isinstance(value, str) or not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def int_list(values: Iterable[object]) -> list[int]:
    """The whole numbers among ``values`` (e.g. ``request.POST.getlist("channels")``), the
    rest left out."""
    return [number for value in values if (number := parse_int(value)) is not None]


def int_param(params: Mapping[str, Any], name: str) -> int | None:
    """The query parameter ``name`` as a whole number, ``None`` when absent; any other value
    (an empty one too: the schema says integer) is refused for that field (a 400 on the API).
    The schema documents such parameters with the bounds of :func:`parse_int`
    (``accounts.api_schema``)."""
    value = params.get(name)
    if value is None:
        return None
    number = parse_int(value)
    if number is None:
        raise ValidationError({name: [EXPECTED_WHOLE_NUMBER]})
    return number


def bool_param(params: Mapping[str, Any], name: str) -> bool | None:
    """The query parameter ``name`` as ``true`` or ``false`` (as the schema writes a
    boolean), ``None`` when absent; anything else is refused for that field."""
    value = params.get(name)
    if value is None:
        return None
    if value not in ("true", "false"):
        raise ValidationError({name: [EXPECTED_BOOLEAN]})
    return value == "true"


def choice_param(params: Mapping[str, Any], name: str, choices: Iterable[str]) -> str | None:
    """The query parameter ``name`` if it is one of ``choices`` (the schema's enum), ``None``
    when absent; anything else is refused for that field rather than filtering nothing."""
    value = params.get(name)
    if value is None:
        return None
    if value not in set(choices):
        raise ValidationError({name: [NOT_A_CHOICE]})
    return str(value)


def filter_values(params: Mapping[str, Any], names: Iterable[str]) -> dict[str, str]:
    """The query parameters ``names`` as a filter form's data: an absent one as ``""`` (the
    form's "no filter"), a given one as it is. A filter given with an empty value is refused
    for that field (a 400 on the API): the schema gives each a type (a date, an id) that an
    empty text is not, and the request surely meant something."""
    values = {name: params.get(name) for name in names}
    empty = [name for name, value in values.items() if value == ""]
    if empty:
        raise ValidationError({name: [EMPTY_FILTER] for name in empty})
    return {name: "" if value is None else str(value) for name, value in values.items()}


# --- characters no input may hold ----------------------------------------------------------


def text_is_clean(text: str) -> bool:
    """True when ``text`` holds no NUL and no lone surrogate."""
    return _FORBIDDEN.search(text) is None


def _decodes_cleanly(raw: bytes, encoding: str) -> bool:
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return text_is_clean(text)


def urlencoded_is_clean(raw: bytes, encoding: str = "utf-8") -> bool:
    """True when every name and value of a query string or url-encoded form body, once
    percent-decoded, is text in ``encoding`` without NUL or lone surrogates."""
    # Latin-1 maps each byte to one character and back: the fields' bytes, percent-decoded.
    fields = parse_qsl(raw.decode("iso-8859-1"), keep_blank_values=True, encoding="iso-8859-1")
    return all(
        _decodes_cleanly(name.encode("iso-8859-1"), encoding)
        and _decodes_cleanly(value.encode("iso-8859-1"), encoding)
        for name, value in fields
    )


def json_is_clean(raw: bytes, encoding: str = "utf-8") -> bool:
    """True when a JSON body is text in ``encoding`` and none of its strings (keys and
    values, also escaped as ``\\u0000`` or ``\\ud800``) holds NUL or a lone surrogate. A body
    that is no JSON at all counts as clean here: the parser refuses it as such."""
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    if not text_is_clean(text):
        return False
    if "\\u" not in text:
        return True  # no escapes: the strings hold what the text holds
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return True
    return _json_is_clean(document)


def _json_is_clean(document: Any) -> bool:
    pending = [document]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if not text_is_clean(item):
                return False
        elif isinstance(item, dict):
            for key, value in item.items():
                if not text_is_clean(key):
                    return False
                pending.append(value)
        elif isinstance(item, list):
            pending.extend(item)
    return True


def form_is_clean(data: Any, files: Any = None) -> bool:
    """True when a parsed form (a ``QueryDict``; ``files`` a ``MultiValueDict`` of uploads)
    holds no NUL or lone surrogate in its field names and values and its files' names. The
    files' contents are not looked at."""
    for name, values in data.lists():
        if not text_is_clean(name) or not all(
            text_is_clean(value) for value in values if isinstance(value, str)
        ):
            return False
    if files is not None:
        for name, uploads in files.lists():
            if not text_is_clean(name) or not all(
                text_is_clean(upload.name or "") for upload in uploads
            ):
                return False
    return True


# --- text fields of the API take text only ------------------------------------------------


def refuse_numbers_as_text() -> None:
    """DRF turns a JSON number into text (``{"title": 0}`` is stored as ``"0"``) or a truth
    value (``{"shared": 0}``), and an object into an empty list of references
    (``{"channels": {}}``), while the schema says a string, a boolean or an array: a client
    sending that has a bug worth hearing about. Called once from ``AccountsConfig.ready``;
    every such field of the API (declared or made from a model) then refuses it with DRF's
    own message. Forms send text, so they are not affected."""
    from django.http import QueryDict
    from rest_framework import fields
    from rest_framework import relations

    def refusing(cls: type, wrong: tuple[type, ...], code: str) -> None:
        to_internal_value = cls.to_internal_value  # type: ignore[attr-defined]

        def strict(field: Any, data: Any) -> Any:
            if isinstance(data, wrong) and not (data is True or data is False):
                field.fail(code, input_type=type(data).__name__)
            return to_internal_value(field, data)

        cls.to_internal_value = strict  # type: ignore[attr-defined]

    refusing(fields.CharField, (int, float), "invalid")  # DRF refuses true/false itself
    refusing(fields.BooleanField, (int, float), "invalid")
    refusing(relations.ManyRelatedField, (Mapping,), "not_a_list")

    # A form can only send text ("true", "on"), JSON has its own true and false: text for a
    # boolean in a JSON body ({"shared": "yes"}) is refused as the number is.
    to_boolean = fields.BooleanField.to_internal_value

    def boolean_from_json(field: Any, data: Any) -> Any:
        if isinstance(data, str) and not isinstance(
            getattr(field.root, "initial_data", None), QueryDict
        ):
            field.fail("invalid", input=data)
        return to_boolean(field, data)

    fields.BooleanField.to_internal_value = boolean_from_json  # type: ignore[method-assign,assignment]
