from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from accounts.models import User
from editorial.crisis.drill.permissions import participants_for_drills
from editorial.crisis.drill.permissions import units_for_drills


class DrillForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        help_text=_("Its crisis communication checklist is walked through."),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Publishing is paused in their practice spaces only."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for_drills(user)  # type: ignore[attr-defined]
        self.fields["participants"].queryset = participants_for_drills(  # type: ignore[attr-defined]
            user
        )
