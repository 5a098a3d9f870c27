"""Layout blocks that many pages share, as tags where the block wraps the page's own markup."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import FilterExpression
from django.template.base import Parser
from django.template.base import Token
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe

register = template.Library()


def _column_headings(headings: list[Any], actions: Any = None) -> SafeString:
    cells = format_html_join("", '<th scope="col">{}</th>', ((heading,) for heading in headings))
    if actions:
        # A last column of row buttons: its heading is for screen readers only, so that the
        # column still has a name (WCAG 1.3.1) without a visible word above the buttons.
        cells = format_html(
            '{}<th scope="col"><span class="visually-hidden">{}</span></th>', cells, actions
        )
    return format_html("<thead><tr>{}</tr></thead>", cells)


class TableNode(template.Node):
    """A table named by a hidden caption; with column headings, the body is its rows."""

    def __init__(
        self,
        caption: FilterExpression,
        headings: list[FilterExpression],
        actions: FilterExpression | None,
        css_class: FilterExpression | None,
        nodelist: template.NodeList,
        scrollable: bool,
    ) -> None:
        self.caption = caption
        self.headings = headings
        self.actions = actions
        self.css_class = css_class
        self.nodelist = nodelist
        self.scrollable = scrollable

    def render(self, context: template.Context) -> str:
        caption = self.caption.resolve(context)
        # The nodelist's output is already escaped by its template.
        body = mark_safe(self.nodelist.render(context))  # noqa: S308
        if self.headings:
            head = _column_headings(
                [heading.resolve(context) for heading in self.headings],
                self.actions.resolve(context) if self.actions else None,
            )
            body = format_html("{}\n  <tbody>{}</tbody>\n", head, body)
        css_class = self.css_class.resolve(context) if self.css_class else ""
        table = format_html(
            '<table{}>\n  <caption class="visually-hidden">{}</caption>{}</table>',
            format_html(' class="{}"', css_class) if css_class else "",
            caption,
            body,
        )
        if not self.scrollable:
            return table
        # The region is focusable and named so that keyboard users can scroll a wide table
        # (WCAG 2.1.1); the same name is the table's caption for screen readers.
        return format_html(
            '<div class="table-scroll" tabindex="0" role="region" aria-label="{}">\n{}\n</div>',
            caption,
            table,
        )


def _table_tag(parser: Parser, token: Token, scrollable: bool) -> TableNode:
    tag_name, *bits = token.split_contents()
    options: dict[str, FilterExpression] = {}
    while bits and bits[-1].split("=", 1)[0] in ("actions", "class"):
        name, value = bits.pop().split("=", 1)
        options[name] = parser.compile_filter(value)
    actions = options.get("actions")
    if not bits:
        raise template.TemplateSyntaxError(f"{tag_name} takes the caption first")
    nodelist = parser.parse((f"end{tag_name}",))
    parser.delete_first_token()
    caption, *headings = (parser.compile_filter(bit) for bit in bits)
    if actions and not headings:
        raise template.TemplateSyntaxError(f"{tag_name}: actions= goes with column headings")
    return TableNode(caption, headings, actions, options.get("class"), nodelist, scrollable)


@register.tag
def scroll_table(parser: Parser, token: Token) -> Any:
    """`{% scroll_table _("Caption") %}<thead>…</thead><tbody>…</tbody>{% endscroll_table %}`: a
    table in a horizontally scrollable, keyboard-focusable region named like its hidden caption.
    With column headings after the caption (as for `data_table`), the body is the rows."""
    return _table_tag(parser, token, scrollable=True)


@register.tag
def data_table(parser: Parser, token: Token) -> Any:
    """`{% data_table _("Caption") _("Name") _("Unit") actions=_("Actions") %}<tr>…</tr>
    {% enddata_table %}`: a table with a hidden caption, one column heading per argument (and,
    with `actions`, a last column whose heading only screen readers hear); the body is the rows.
    `class="…"` (also for `scroll_table`) gives the table its style."""
    return _table_tag(parser, token, scrollable=False)


@register.simple_tag
def table_head(*headings: str, actions: str = "") -> str:
    """`{% table_head _("Name") _("Unit") %}`: a table's header row of column headings; `actions`
    names a last column of row buttons for screen readers only."""
    return _column_headings(list(headings), actions)


class SectionNode(template.Node):
    """A section named by its h2 heading (aria-labelledby), so that it is a landmark whose
    name screen readers announce and that the heading list shows in order (WCAG 1.3.1, 2.4.6)."""

    def __init__(
        self,
        name: FilterExpression,
        heading: FilterExpression,
        nodelist: template.NodeList,
        card: bool,
    ) -> None:
        self.name = name
        self.heading = heading
        self.nodelist = nodelist
        self.card = card

    def render(self, context: template.Context) -> str:
        heading_id = f"{self.name.resolve(context)}-heading"
        return format_html(
            '<section{} aria-labelledby="{}">\n  <h2 id="{}">{}</h2>{}</section>',
            mark_safe(' class="card"') if self.card else "",
            heading_id,
            heading_id,
            self.heading.resolve(context),
            mark_safe(self.nodelist.render(context)),  # noqa: S308 - escaped by its template
        )


def _section_tag(parser: Parser, token: Token, card: bool) -> SectionNode:
    tag_name, *bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{tag_name} takes a name and a heading")
    nodelist = parser.parse((f"end{tag_name}",))
    parser.delete_first_token()
    name, heading = (parser.compile_filter(bit) for bit in bits)
    return SectionNode(name, heading, nodelist, card)


@register.tag
def section(parser: Parser, token: Token) -> Any:
    """`{% section "units" _("Units") %}…{% endsection %}`: a section with its h2 heading
    (id "units-heading") as its name."""
    return _section_tag(parser, token, card=False)


@register.tag
def card(parser: Parser, token: Token) -> Any:
    """`{% card "history" _("History") %}…{% endcard %}`: the same section drawn as a card."""
    return _section_tag(parser, token, card=True)


@register.inclusion_tag("_action_form.html", takes_context=True)
def action_form(
    context: template.Context, action: str, submit: str, form: Any = None, button_class: str = ""
) -> dict[str, Any]:
    """`{% action_form url _("Archive goal") form=archive_form button_class="button--secondary" %}`:
    a form that posts the fields of `form` (if any) to `url` with one button labelled `submit`.
    It sees only what it is given, so a page's own `form` never slips into a button-only form."""
    return {
        "action": action,
        "submit": submit,
        "form": form,
        "button_class": button_class,
        "csrf_token": context.get("csrf_token"),
    }


class HeadingRowNode(template.Node):
    def __init__(self, heading: FilterExpression, nodelist: template.NodeList) -> None:
        self.heading = heading
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        return format_html(
            '<div class="heading-row">\n  <h1>{}</h1>{}</div>',
            self.heading.resolve(context),
            mark_safe(self.nodelist.render(context)),  # noqa: S308 - escaped by its template
        )


@register.tag
def heading_row(parser: Parser, token: Token) -> Any:
    """`{% heading_row _("Data protection") %}<a class="button" …>…</a>{% endheading_row %}`:
    the page's h1 with the page's action buttons beside it."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("heading_row takes exactly one argument, the heading")
    nodelist = parser.parse(("endheading_row",))
    parser.delete_first_token()
    return HeadingRowNode(parser.compile_filter(bits[1]), nodelist)
