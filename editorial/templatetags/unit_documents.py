"""``{{ document.body|unit_markdown }}``: a unit document's Markdown as HTML. Raw HTML is off
(whatever the text holds is escaped) and markdown-it refuses ``javascript:`` links, so an
edited guideline cannot put markup or script on the page."""

from __future__ import annotations

from functools import cache

from django import template
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

register = template.Library()


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


@register.filter
def unit_markdown(text: str) -> SafeString:
    return mark_safe(_markdown().render(text or ""))  # noqa: S308  # raw HTML is off
