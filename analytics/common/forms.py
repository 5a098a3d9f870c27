"""Form fields the analytics pages share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from channels_app.models import Channel


class UnitChannelField(forms.ModelChoiceField):
    """One channel of the chosen unit, or none for all channels of the unit (a goal's KPI,
    a records export). Each channel is named with its unit, as the choices span every unit
    the user works in; the form sets the queryset to the user's channels."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Channel.objects.none(),
            label=_("Channel"),
            required=False,
            empty_label=_("All channels of the unit"),
            **kwargs,
        )

    def label_from_instance(self, obj: Channel) -> str:
        return f"{obj.label} ({obj.unit})"
