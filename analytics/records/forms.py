"""The request form of a records export: a unit (with the units below it), or one of its
channels, and a period. The choices offered are the user's; the service checks again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.models import OrgUnit
from accounts.widgets import DateInput
from analytics.common.forms import UnitChannelField
from channels_app.models import Channel


class RecordsExportForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        help_text=_("The units below it are included."),
    )
    channel = UnitChannelField()
    period_start = forms.DateField(label=_("Published from"), widget=DateInput())
    period_end = forms.DateField(label=_("Published until"), widget=DateInput())

    def __init__(
        self, *args: Any, units: QuerySet[OrgUnit], channels: QuerySet[Channel], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["channel"].queryset = channels  # type: ignore[attr-defined]
