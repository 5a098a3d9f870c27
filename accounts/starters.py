"""The starter library's file format (issue 15): texts shipped in the repository, versioned,
that a unit adopts as its own editable copy.

Each app keeps its starters next to the feature they feed (``editorial/starters/library/``,
``moderation/netiquette/starters/``, ``channels_app/starters/``). A starter is either

- a Markdown file with a small header (``version`` and ``title`` between ``---`` lines), or
- a JSON object with ``version``, ``title`` and the feature's own ``items``.

The version says which edition a unit adopted (stored with its copy and in the audit entry),
so a later edition of the library never changes what a unit already has."""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field
from functools import cache
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Starter:
    key: str
    version: int
    title: str
    body: str = ""
    items: list[Any] = field(default_factory=list)


def _markdown(key: str, text: str) -> Starter:
    header: dict[str, str] = {}
    body = text
    if text.startswith("---\n"):
        head, _sep, body = text[4:].partition("\n---\n")
        for line in head.splitlines():
            name, _colon, value = line.partition(":")
            header[name.strip()] = value.strip()
    return Starter(
        key=key, version=int(header["version"]), title=header["title"], body=body.strip() + "\n"
    )


@cache
def load_starter(path: Path) -> Starter:
    """Read one starter file (cached: the files change only with a release)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return _markdown(path.stem, text)
    data = json.loads(text)
    return Starter(
        key=path.stem,
        version=int(data["version"]),
        title=data["title"],
        body=data.get("body", ""),
        items=list(data.get("items", [])),
    )
