"""What PostgreSQL can store of a platform's text, and how nothing is lost on the way.

PostgreSQL refuses two things a platform's JSON may carry: the NUL character (in ``text``
and in ``jsonb``) and lone UTF-16 surrogates (``"\\ud800"`` decodes in Python to a ``str``
that cannot be encoded as UTF-8). Citizens' texts are evidence, so they are kept
"losslessly enough":

* the readable fields (text, names, handles) get U+FFFD REPLACEMENT CHARACTER for each such
  code point: staff see where something unreadable was, and the text stays searchable;
* ``raw`` (the platform's JSON object) gets the same replacement, and, only when something
  was replaced, the exact original under ``ORIGINAL_KEY`` as ASCII JSON text
  (``json.dumps(ensure_ascii=True)`` writes NUL and surrogates as ``\\u0000``/``\\ud800``
  escapes, which are plain ASCII characters in a string): ``json.loads`` of it gives back
  the payload exactly as the platform sent it.

Everything else (markup, event handlers, bidirectional overrides such as U+202E, texts of
any length) is stored as it came; templates escape it when rendering.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

REPLACEMENT = "\ufffd"
ORIGINAL_KEY = "_sprachrohr_original_json"
# NUL and every surrogate: in a ``str`` decoded from JSON a surrogate is always unpaired
# (a valid pair decodes to one astral code point).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(value: str) -> str:
    """``value`` with NUL and lone surrogates replaced by U+FFFD."""
    return _UNSTORABLE.sub(REPLACEMENT, value)


def _clean(value: Any) -> tuple[Any, bool]:
    if isinstance(value, str):
        cleaned = storable_text(value)
        return cleaned, cleaned != value
    if isinstance(value, Mapping):
        changed = False
        out: dict[str, Any] = {}
        for key, item in value.items():
            clean_key, key_changed = _clean(str(key))
            clean_item, item_changed = _clean(item)
            out[clean_key] = clean_item
            changed = changed or key_changed or item_changed
        return out, changed
    if isinstance(value, list | tuple):
        items = [_clean(item) for item in value]
        return [item for item, _changed in items], any(changed for _item, changed in items)
    if value is None or isinstance(value, bool | int | float):
        return value, False
    # Not JSON (an adapter handed over an object): its text form is what can be kept.
    return storable_text(str(value)), True


def storable_raw(raw: Mapping[str, Any]) -> dict[str, Any]:
    """``raw`` as ``jsonb`` accepts it; the exact original added when anything changed."""
    cleaned, changed = _clean(raw)
    if changed:
        cleaned[ORIGINAL_KEY] = json.dumps(raw, ensure_ascii=True, default=str)
    return dict(cleaned)


def original_raw(stored: Mapping[str, Any]) -> Any:
    """The payload as the platform sent it (inverse of ``storable_raw``)."""
    if ORIGINAL_KEY in stored:
        return json.loads(stored[ORIGINAL_KEY])
    return dict(stored)


def bounded(value: str, limit: int) -> str:
    """A name or handle cut to its column's length (the whole value stays in ``raw``)."""
    return storable_text(value)[:limit]


def storable_url(value: str, limit: int = 1000) -> str:
    """A platform address, or "" when it is no http(s) address or too long for the column
    (it stays in ``raw``): a link staff click must never be ``javascript:`` or the like."""
    value = storable_text(value.strip())
    if len(value) > limit or not value.lower().startswith(("https://", "http://")):
        return ""
    return value
