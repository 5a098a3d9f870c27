"""``UnitsOfferedForm``: a form's unit field offers only the units it is given, so a unit
outside them is refused as an invalid choice; the forms of the admin and audit pages and the
training records' filter are such forms."""

from __future__ import annotations

import pytest
from django import forms

from accounts.forms import AuditFilterForm
from accounts.forms import InviteForm
from accounts.forms import RoleAssignmentForm
from accounts.forms import UnitChoiceField
from accounts.forms import UnitsOfferedForm
from accounts.guidance.forms import TrainingFilterForm
from accounts.models import OrgUnit
from accounts.models import User
from tests.conftest import Org


class _UnitForm(UnitsOfferedForm):
    unit = UnitChoiceField(queryset=OrgUnit.objects.none())


def _offered(form: forms.Form, name: str = "unit") -> list[object]:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    assert field.queryset is not None
    return list(field.queryset)


def test_the_unit_field_offers_the_units_given(org: Org) -> None:
    units = OrgUnit.objects.filter(pk__in=[org.press.pk, org.social.pk])
    assert set(_offered(_UnitForm(units=units))) == {org.press, org.social}


def test_a_unit_outside_them_is_an_invalid_choice(org: Org) -> None:
    units = OrgUnit.objects.filter(pk=org.press.pk)
    assert _UnitForm(data={"unit": org.press.pk}, units=units).is_valid()
    refused = _UnitForm(data={"unit": org.police.pk}, units=units)
    assert not refused.is_valid()
    assert refused.has_error("unit", code="invalid_choice")


@pytest.mark.parametrize("form_class", [InviteForm, RoleAssignmentForm, TrainingFilterForm])
def test_the_pages_forms_offer_the_units_given(
    org: Org, form_class: type[UnitsOfferedForm]
) -> None:
    units = OrgUnit.objects.filter(pk=org.police.pk)
    assert _offered(form_class(units=units)) == [org.police]


def test_the_audit_filter_offers_the_units_and_actors_given(org: Org) -> None:
    units = OrgUnit.objects.filter(pk=org.police.pk)
    form = AuditFilterForm(units=units, actors=User.objects.none())
    assert _offered(form) == [org.police]
    assert _offered(form, "actor") == []
