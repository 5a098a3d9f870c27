"""``{{ document.body|unit_markdown }}``: a unit document's Markdown as HTML. Raw HTML is off
(whatever the text holds is escaped) and markdown-it refuses ``javascript:`` links, so an
edited guideline cannot put markup or script on the page."""

from __future__ import annotations

from functools import cache

from django import template
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

register = template.Library()


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


@register.filter
def unit_markdown(text: str) -> SafeString:
    """The page's own ``<h1>`` is the document's title: a text with a ``# Heading`` of its
    own (the library's start with one) has its headings moved one level down, so that the
    page has one top level (a second ``<h1>`` splits screen readers' heading list)."""
    markdown = _markdown()
    tokens = markdown.parse(text or "")
    headings = [t for t in tokens if t.type in ("heading_open", "heading_close")]
    if any(t.tag == "h1" for t in headings):
        for token in headings:
            token.tag = f"h{min(int(token.tag[1:]) + 1, 6)}"
    html = markdown.renderer.render(tokens, markdown.options, {})
    return mark_safe(html)  # noqa: S308  # raw HTML is off
