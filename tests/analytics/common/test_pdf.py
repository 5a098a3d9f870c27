"""analytics/common/pdf.py: templates rendered as tagged PDF/UA documents, nothing fetched."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.template import engines
from pypdf import PdfReader

from analytics.common import pdf

PAGE = """{% extends "analytics/common/pdf_base.html" %}
{% block title %}Monatsbericht Presseamt{% endblock %}
{% block content %}<h1>Monatsbericht</h1><p>Reichweite: 12.345</p>{{ extra|safe }}{% endblock %}"""


@pytest.fixture
def page_template(tmp_path: Path, settings) -> str:  # type: ignore[no-untyped-def]
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "pdf_test_page.html").write_text(PAGE, encoding="utf-8")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    engines._engines = {}  # type: ignore[attr-defined]
    engines.__dict__.pop("templates", None)
    return "pdf_test_page.html"


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def test_text_of_the_template_is_in_the_pdf(page_template: str) -> None:
    text = _reader(pdf.render_pdf(page_template, {})).pages[0].extract_text()
    assert "Reichweite: 12.345" in text


def test_pdf_is_tagged_with_language_and_title(page_template: str) -> None:
    reader = _reader(pdf.render_pdf(page_template, {}, language="de"))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "de"
    assert reader.metadata is not None and reader.metadata.title == "Monatsbericht Presseamt"


def test_remote_image_is_not_fetched(page_template: str) -> None:
    extra = '<img src="http://169.254.169.254/latest/meta-data" alt="x">'
    # The document is still produced; the refused URL leaves the image out.
    data = pdf.render_pdf(page_template, {"extra": extra})
    assert data.startswith(b"%PDF")


def test_handed_in_file_is_embedded(page_template: str, tmp_path: Path) -> None:
    from PIL import Image

    image = tmp_path / "bild.png"
    Image.new("RGB", (40, 20), "red").save(image)
    extra = f'<img src="{pdf.file_url("bild")}" alt="Rotes Rechteck">'
    data = pdf.render_pdf(page_template, {"extra": extra}, files={"bild": image})
    assert b"/Image" in data or b"/XObject" in data
