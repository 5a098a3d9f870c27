"""The layout tags (accounts/templatetags/layout.py) that tables across the apps share."""

from django.template import Context
from django.template import Template
from django.utils import translation


def render(source: str, **context: object) -> str:
    return Template("{% load layout %}" + source).render(Context(context))


def test_a_scroll_table_is_a_focusable_region_named_like_its_caption() -> None:
    html = render('{% scroll_table "Reports" %}<tbody></tbody>{% endscroll_table %}')
    assert html == (
        '<div class="table-scroll" tabindex="0" role="region" aria-label="Reports">\n<table>\n'
        '  <caption class="visually-hidden">Reports</caption><tbody></tbody></table>\n</div>'
    )


def test_a_scroll_table_escapes_a_caption_from_data() -> None:
    html = render("{% scroll_table title %}{% endscroll_table %}", title='"><script>')
    assert "<script>" not in html
    assert 'aria-label="&quot;&gt;&lt;script&gt;"' in html


def test_a_scroll_table_caption_is_translated() -> None:
    with translation.override("de"):
        html = render('{% scroll_table _("Monthly reports") %}{% endscroll_table %}')
    assert 'aria-label="Monatsberichte"' in html


def test_table_head_writes_one_column_heading_per_argument() -> None:
    html = render('{% table_head "Name" label %}', label="<b>Unit</b>")
    assert html == (
        '<thead><tr><th scope="col">Name</th>'
        '<th scope="col">&lt;b&gt;Unit&lt;/b&gt;</th></tr></thead>'
    )


def test_a_data_table_writes_caption_headings_and_wraps_its_rows_in_the_body() -> None:
    html = render('{% data_table "Users" "Name" "Status" %}<tr></tr>{% enddata_table %}')
    assert html == (
        '<table>\n  <caption class="visually-hidden">Users</caption>'
        '<thead><tr><th scope="col">Name</th><th scope="col">Status</th></tr></thead>\n'
        "  <tbody><tr></tr></tbody>\n</table>"
    )


def test_a_last_actions_column_is_named_for_screen_readers_only() -> None:
    html = render('{% scroll_table "Units" "Unit" actions="Actions" %}{% endscroll_table %}')
    assert html.startswith(
        '<div class="table-scroll" tabindex="0" role="region" aria-label="Units">'
    )
    assert '<th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>' in html


def test_a_card_is_a_section_named_by_its_heading() -> None:
    html = render('{% card "history" heading %}<p>…</p>{% endcard %}', heading="<History>")
    assert html == (
        '<section class="card" aria-labelledby="history-heading">\n'
        '  <h2 id="history-heading">&lt;History&gt;</h2><p>…</p></section>'
    )
    plain = render('{% section "units" "Units" %}{% endsection %}')
    assert plain.startswith('<section aria-labelledby="units-heading">')


def test_an_action_form_is_one_button_and_ignores_the_page_form() -> None:
    html = render(
        '{% action_form "/go/" "Archive" button_class="button--secondary" %}',
        form="the page's own form",
        csrf_token="token",
    )
    assert '<form method="post" action="/go/">' in html
    assert 'name="csrfmiddlewaretoken" value="token"' in html
    assert '<button type="submit" class="button button--secondary">Archive</button>' in html
    assert "the page" not in html


def test_a_heading_row_puts_the_page_heading_beside_its_buttons() -> None:
    html = render('{% heading_row title %}<a href="/new/">New</a>{% endheading_row %}', title="A&B")
    assert html == '<div class="heading-row">\n  <h1>A&amp;B</h1><a href="/new/">New</a></div>'


def test_a_table_class_styles_the_table_not_the_region() -> None:
    html = render('{% scroll_table "Log" "#" class="audit-table" %}{% endscroll_table %}')
    assert '<table class="audit-table">' in html
    assert '<div class="table-scroll" tabindex="0"' in html
