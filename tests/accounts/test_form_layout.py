# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The shared form layer (issue 13): one field template for every form, a checkbox before its
own label, groups of fields as fieldsets, the only possible unit chosen, one style for every
kind of input."""

from __future__ import annotations

import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.template.loader import render_to_string

from accounts.forms import FieldsetsMixin
from accounts.forms import NotificationPreferencesForm
from accounts.forms import UnitChoiceField
from accounts.models import OrgUnit
from tests.accounts.project_forms import project_form_fields
from tests.conftest import Org
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

APP_CSS = Path(settings.BASE_DIR) / "static" / "css" / "app.css"


class _Agree(forms.Form):
    agree = forms.BooleanField(label="I agree", required=False, help_text="Say yes.")


def test_a_checkbox_stands_before_its_label_without_a_colon() -> None:
    html = _Agree()["agree"].as_field_group()
    assert html.index('type="checkbox"') < html.index("<label")
    assert re.search(r'<label for="id_agree">I agree</label>', html)
    assert 'aria-describedby="id_agree_helptext"' in html


class _Grouped(FieldsetsMixin):
    name = forms.CharField(label="Name")
    a = forms.BooleanField(label="A", required=False)
    b = forms.BooleanField(label="B", required=False)
    fieldsets = [("Options", ["a", "b"])]


def test_grouped_fields_render_as_one_fieldset_with_its_legend() -> None:
    html = render_to_string("_form_fields.html", {"form": _Grouped()})
    assert html.count("<fieldset") == 1
    fieldset = html[html.index("<fieldset") : html.index("</fieldset>")]
    assert "<legend>Options</legend>" in fieldset
    assert 'name="a"' in fieldset and 'name="b"' in fieldset
    assert 'name="name"' not in fieldset


def test_notification_settings_are_one_group() -> None:
    html = render_to_string("_form_fields.html", {"form": NotificationPreferencesForm(current={})})
    assert html.count("<fieldset") == 1
    assert html.count('type="checkbox"') == html[html.index("<fieldset") :].count('type="checkbox"')


class _UnitForm(forms.Form):
    unit = UnitChoiceField(label="Unit", queryset=OrgUnit.objects.none())
    optional_unit = UnitChoiceField(label="Unit", queryset=OrgUnit.objects.none(), required=False)

    def __init__(self, *args: object, units: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["optional_unit"].queryset = units  # type: ignore[attr-defined]


def test_the_only_unit_on_offer_starts_chosen(org: Org) -> None:
    form = _UnitForm(units=OrgUnit.objects.filter(pk=org.press.pk))
    assert form["unit"].value() == org.press.pk
    assert form["optional_unit"].value() is None  # a filter keeps "all units"


def test_with_several_units_none_is_chosen_for_the_person(org: Org) -> None:
    form = _UnitForm(units=OrgUnit.objects.filter(pk__in=[org.press.pk, org.city.pk]))
    assert form["unit"].value() is None


def test_a_given_unit_is_kept(org: Org) -> None:
    form = _UnitForm(units=OrgUnit.objects.filter(pk=org.press.pk), initial={"unit": org.city.pk})
    assert form["unit"].value() == org.city.pk


def _shared_field_selector() -> str:
    css = APP_CSS.read_text()
    match = re.search(r'(input\[type="text"\][^{]*)\{', css)
    assert match, "the shared field rule is missing from app.css"
    return match.group(1)


def test_every_kind_of_input_the_forms_use_shares_the_text_field_style() -> None:
    selector = _shared_field_selector()
    kinds = set()
    for _name, field in project_form_fields():
        widget = field.widget
        if isinstance(widget, (forms.Select, forms.SelectMultiple)) and not isinstance(
            widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)
        ):
            kinds.add("select")
        elif isinstance(widget, forms.Textarea):
            kinds.add("textarea")
        elif isinstance(widget, forms.widgets.Input) and widget.input_type not in {
            "hidden",
            "checkbox",
            "radio",
            "file",
        }:
            kinds.add(f'input[type="{widget.input_type}"]')
    assert {"select", "textarea", 'input[type="url"]', 'input[type="email"]'} <= kinds
    missing = sorted(kind for kind in kinds if kind not in selector)
    assert missing == []


def test_filter_bars_put_each_label_beside_its_field_and_wrap() -> None:
    css = APP_CSS.read_text()
    rule = re.search(r"\.filter-form > div \{([^}]*)\}", css)
    assert rule and "display: flex" in rule.group(1) and "flex-wrap: wrap" in rule.group(1)


def test_the_crisis_button_stays_in_the_content_column() -> None:
    rule = re.search(r"\.crisis-bar \{([^}]*)\}", APP_CSS.read_text())
    assert rule and "max-width: 72rem" in rule.group(1) and "margin: 0 auto" in rule.group(1)
