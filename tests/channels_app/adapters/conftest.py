"""Shared fixtures for adapter tests: real small media files and a content factory.

Platform APIs are faked only at the HTTP boundary with ``responses``; payload fixtures in
``fixtures/<platform>/`` are shaped as in each platform's official documentation."""

from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from PIL import Image

from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import MediaKind
from channels_app.adapters.base import PostContent

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Adapter tests assert the English source messages, whatever the default language."""
    with translation.override("en"):
        yield


def load_fixture(platform: str, name: str) -> Any:
    """A JSON payload fixture, e.g. ``load_fixture("mastodon", "status.json")``."""
    return json.loads((FIXTURES / platform / name).read_text(encoding="utf-8"))


@pytest.fixture
def image_file(tmp_path: Path) -> MediaItem:
    path = tmp_path / "rathaus.jpg"
    Image.new("RGB", (64, 48), (20, 80, 160)).save(path, "JPEG")
    return MediaItem(
        path=str(path),
        mime_type="image/jpeg",
        kind=MediaKind.IMAGE,
        size=path.stat().st_size,
        alt_text="Das Rathaus von Musterstadt im Sonnenschein",
        width=64,
        height=48,
        public_url="https://www.musterstadt.example/media/rathaus.jpg",
    )


@pytest.fixture
def video_file(tmp_path: Path) -> MediaItem:
    path = tmp_path / "baustelle.mp4"
    # An ISO-BMFF header is enough: the platforms are faked at the HTTP boundary.
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 2048)
    captions = tmp_path / "baustelle.vtt"
    captions.write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nDie Baustelle\n", encoding="utf-8")
    return MediaItem(
        path=str(path),
        mime_type="video/mp4",
        kind=MediaKind.VIDEO,
        size=path.stat().st_size,
        alt_text="Bagger auf der Baustelle am Marktplatz",
        width=1280,
        height=720,
        duration_seconds=12.0,
        captions_path=str(captions),
        public_url="https://www.musterstadt.example/media/baustelle.mp4",
    )


@pytest.fixture
def content() -> Callable[..., PostContent]:
    def make(
        text: str = "Heute ist das Bürgerbüro bis 18 Uhr geöffnet.", **kwargs: Any
    ) -> PostContent:
        return PostContent(text=text, **kwargs)

    return make
