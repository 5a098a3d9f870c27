"""Every date, time and datetime field of every form in the project renders an ISO value in
German too: a browser's date and time inputs take nothing else and show the field empty (the
German edit form of a scheduled post lost its date, issue 13)."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

from accounts.widgets import ISO_WIDGETS
from accounts.widgets import DateInput
from accounts.widgets import DateTimeLocalInput
from accounts.widgets import TimeInput
from tests.accounts.project_forms import form_modules
from tests.accounts.project_forms import project_form_fields

TEMPORAL = (forms.DateField, forms.TimeField, forms.DateTimeField, forms.SplitDateTimeField)
TEMPORAL_FIELDS = ("DateField", "TimeField", "DateTimeField", "SplitDateTimeField")
ISO_VALUE = {
    DateInput: re.compile(r'value="\d{4}-\d{2}-\d{2}"'),
    TimeInput: re.compile(r'value="\d{2}:\d{2}"'),
    DateTimeLocalInput: re.compile(r'value="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"'),
}
SAMPLE = {
    forms.DateField: dt.date(2026, 12, 5),
    forms.TimeField: dt.time(9, 5),
    forms.DateTimeField: dt.datetime(2026, 12, 5, 9, 5, tzinfo=dt.UTC),
}


def _temporal_fields() -> list[tuple[str, forms.Field]]:
    return [(name, field) for name, field in project_form_fields() if isinstance(field, TEMPORAL)]


def test_the_project_has_date_fields_to_check() -> None:
    # Guards the discovery below: an empty list would pass every check.
    names = [name for name, _field in _temporal_fields()]
    assert "editorial.posts.forms.PostForm.planned_date" in names
    assert "moderation.inbox.forms.InboxFilterForm.date_from" in names


@pytest.mark.parametrize("name", [name for name, _field in _temporal_fields()])
def test_every_date_and_time_field_renders_iso_in_german(name: str) -> None:
    field = dict(_temporal_fields())[name]
    assert isinstance(field.widget, ISO_WIDGETS), f"{name} uses {type(field.widget).__name__}"
    sample = next(value for kind, value in SAMPLE.items() if isinstance(field, kind))
    with translation.override("de"):
        html = field.widget.render("x", field.prepare_value(sample))
    assert ISO_VALUE[type(field.widget)].search(html), f"{name} rendered {html}"


def _field_calls_without_iso_widget(path: Path) -> Iterator[str]:
    """Date and time fields a form builds anywhere in the file (also in ``__init__`` or a
    helper, which the classes' ``base_fields`` do not show) whose widget is not ours."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if called not in TEMPORAL_FIELDS:
            continue
        widget = next((kw.value for kw in node.keywords if kw.arg == "widget"), None)
        widget_name = ""
        if isinstance(widget, ast.Call):
            widget_name = getattr(widget.func, "id", "") or getattr(widget.func, "attr", "")
        if isinstance(widget.func if isinstance(widget, ast.Call) else None, ast.Attribute):
            widget_name = ""  # forms.DateInput(...) and the like: Django's, not ours
        if widget_name not in {cls.__name__ for cls in ISO_WIDGETS}:
            yield f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}"


def test_every_date_and_time_field_built_in_form_code_uses_an_iso_widget() -> None:
    offenders = [
        where
        for name in form_modules()
        for where in _field_calls_without_iso_widget(
            Path(importlib.import_module(name).__file__ or "")
        )
    ]
    assert offenders == []
