"""Forms of the report pages: a unit's report settings, and a report to build now."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.models import OrgUnit
from accounts.models import User
from analytics.reports.selectors import Month


class MonthInput(forms.TextInput):
    """``<input type="month">``: the browser sends ``YYYY-MM`` whatever its language."""

    input_type = "month"


class MonthField(forms.CharField):
    widget = MonthInput

    def to_python(self, value: Any) -> Month | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return Month.parse(text)
        except ValueError:
            raise ValidationError(_("Enter a month as YYYY-MM."), code="invalid") from None


class RecipientChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} <{obj.email}>" if obj.full_name else obj.email


class ReportSettingsForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("Send the monthly report"),
        required=False,
        help_text=_(
            "On the first of each month at 06:00 the report of the previous month is built"
            " and e-mailed to the recipients."
        ),
    )
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)
    recipients = RecipientChoiceField(
        label=_("Recipients"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People with a role in this unit or in a unit above it."),
    )
    extra_addresses = forms.CharField(
        label=_("Further e-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. the office of the head of the authority."),
    )

    def __init__(self, *args: Any, recipients: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = recipients  # type: ignore[attr-defined]


class ReportRequestForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    month = MonthField(label=_("Month"), help_text=_("The report covers this calendar month."))

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
