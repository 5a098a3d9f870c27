# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Captions of videos (editorial/media/processing.py, services.py): WebVTT or SRT, recognised
by content, only for videos."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from editorial.media.services import media_asset_update
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import png_bytes
from tests.editorial.media.conftest import minimal_mp4
from tests.editorial.media.conftest import upload
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

SRT = b"1\n00:00:00,000 --> 00:00:02,000\nHallo\n"


def test_webvtt_captions_are_stored_as_vtt_whatever_their_name(people: People, org: Org) -> None:
    asset = upload(
        people,
        org,
        minimal_mp4(),
        "clip.bin",
        captions_file=SimpleUploadedFile(
            "untertitel.txt", b"WEBVTT\n\n00:00.000 --> 00:02.000\nHallo\n"
        ),
    )
    assert asset.captions_file.name.endswith(".vtt")


def test_srt_captions_are_accepted(people: People, org: Org) -> None:
    asset = upload(
        people, org, minimal_mp4(), "a.mp4", captions_file=SimpleUploadedFile("u.srt", SRT)
    )
    assert asset.captions_file.name.endswith(".srt")


def test_a_file_that_is_no_captions_is_refused(people: People, org: Org) -> None:
    with pytest.raises(ValidationError) as refused:
        upload(
            people,
            org,
            minimal_mp4(),
            "b.mp4",
            captions_file=SimpleUploadedFile("u.vtt", b"Das sind keine Untertitel."),
        )
    assert "captions_file" in refused.value.message_dict


def test_an_image_takes_no_captions(people: People, org: Org) -> None:
    with pytest.raises(ValidationError) as refused:
        upload(people, org, png_bytes(), "c.png", captions_file=SimpleUploadedFile("u.vtt", SRT))
    assert "captions_file" in refused.value.message_dict


def test_captions_can_be_added_to_a_stored_video(people: People, org: Org) -> None:
    asset = upload(people, org, minimal_mp4(), "clip.mp4")
    media_asset_update(
        actor=people.editor,
        asset=asset,
        captions_file=SimpleUploadedFile("u.srt", b"1\n00:00:00,000 --> 00:00:01,000\nHallo\n"),
    )
    assert asset.captions_file.name.endswith(".srt")
