"""Accessible PDFs from Django templates (monthly reports, the records export's post PDFs).

WeasyPrint renders the same HTML and SVG the pages use into a tagged PDF/UA-1 document: a
screen reader follows headings, tables and the charts' text alternatives, and the document
language and title are set. Fonts are the bundled DejaVu files (the server image may carry
none); nothing is fetched from the network: the URL fetcher serves only the bundled fonts
and media the caller hands in, so a post or comment can never make the server load a URL."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from typing import Protocol

from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher
from weasyprint.urls import URLFetcherResponse

from moderation.evidence.pdf import FONTS

# WeasyPrint and fontTools report every font and CSS detail at INFO/WARNING.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_SCHEME = "sprachrohr-font:"
FILE_SCHEME = "sprachrohr-file:"
PDF_VARIANT = "pdf/ua-1"


class Readable(Protocol):
    """A file handed in for a PDF: a ``Path``, or a ``StoredFile`` read through its storage
    (so S3-like media storages work too)."""

    def read_bytes(self) -> bytes: ...


class StoredFile:
    """A file of a storage (a ``FieldFile``) read through ``storage.open()``, never a path
    on the local disk."""

    def __init__(self, field_file: FieldFile) -> None:
        self._storage = field_file.storage
        self._name = str(field_file.name)

    def read_bytes(self) -> bytes:
        with self._storage.open(self._name, "rb") as handle:
            data: bytes = handle.read()
        return data


class RefusedUrlError(ValueError):
    """A document asked for a resource that is neither a bundled font nor a handed-in file."""


def font_face_css() -> str:
    """``@font-face`` rules for the bundled fonts, addressed through the private scheme."""
    faces = [
        ("Sprachrohr Sans", "normal", "DejaVuSans.ttf"),
        ("Sprachrohr Sans", "bold", "DejaVuSans-Bold.ttf"),
        ("Sprachrohr Mono", "normal", "DejaVuSansMono.ttf"),
    ]
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
        f'src: url("{FONT_SCHEME}{name}"); }}'
        for family, weight, name in faces
    )


class _LocalOnlyFetcher(URLFetcher):
    """Serves the bundled fonts and the files handed in; refuses every other URL."""

    def __init__(self, files: Mapping[str, Readable]) -> None:
        super().__init__(allowed_protocols=())
        self._files = files

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith(FONT_SCHEME):
            path = FONTS / url.removeprefix(FONT_SCHEME)
            if path.parent != FONTS or not path.is_file():
                raise RefusedUrlError(url)
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "font/ttf"})
        if url.startswith(FILE_SCHEME):
            key = url.removeprefix(FILE_SCHEME)
            if key not in self._files:
                raise RefusedUrlError(url)
            return URLFetcherResponse(url, self._files[key].read_bytes())
        raise RefusedUrlError(url)


def file_url(key: str) -> str:
    """The URL by which a template refers to a file handed in as ``files[key]``."""
    return f"{FILE_SCHEME}{key}"


def render_pdf(
    template_name: str,
    context: Mapping[str, Any],
    *,
    language: str = "de",
    files: Mapping[str, Readable] | None = None,
) -> bytes:
    """``template_name`` rendered in ``language`` as a tagged PDF/UA-1 document.

    The template should extend ``analytics/common/pdf_base.html`` (fonts, page layout,
    ``<html lang>`` and ``<title>``, which become the PDF's language and title). Images it
    shows are handed in as ``files`` and referred to with :func:`file_url`."""
    with translation.override(language):
        html = render_to_string(
            template_name,
            {**context, "pdf_font_face_css": font_face_css(), "pdf_language": language},
        )
    document = HTML(
        string=html, url_fetcher=_LocalOnlyFetcher(files or {}), base_url="sprachrohr-file:/"
    )
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
