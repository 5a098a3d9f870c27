"""Layout blocks that many pages share, as tags where the block wraps the page's own markup."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import FilterExpression, Parser, Token
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


class ScrollTableNode(template.Node):
    def __init__(self, label: FilterExpression, nodelist: template.NodeList) -> None:
        self.label = label
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        label = self.label.resolve(context)
        body = self.nodelist.render(context)
        # The region is focusable and named so that keyboard users can scroll a wide table
        # (WCAG 2.1.1); the same name is the table's caption for screen readers.
        return format_html(
            '<div class="table-scroll" tabindex="0" role="region" aria-label="{}">\n<table>\n'
            '  <caption class="visually-hidden">{}</caption>{}</table>\n</div>',
            label,
            label,
            mark_safe(body),  # noqa: S308 - the nodelist's output, already escaped by its template
        )


@register.tag
def scroll_table(parser: Parser, token: Token) -> Any:
    """`{% scroll_table _("Caption") %}<thead>…</thead><tbody>…</tbody>{% endscroll_table %}`: a
    table in a horizontally scrollable, keyboard-focusable region named like its hidden caption."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("scroll_table takes exactly one argument, the caption")
    nodelist = parser.parse(("endscroll_table",))
    parser.delete_first_token()
    return ScrollTableNode(parser.compile_filter(bits[1]), nodelist)


@register.simple_tag
def table_head(*headings: str) -> str:
    """`{% table_head _("Name") _("Unit") %}`: a table's header row of column headings."""
    cells = format_html_join("", '<th scope="col">{}</th>', ((heading,) for heading in headings))
    return format_html("<thead><tr>{}</tr></thead>", cells)
