"""Forms of the starter library: a unit document's text, and how far ahead to plan the
weekly formats."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.widgets import DateInput
from editorial.starters.services import MAX_RHYTHM_WEEKS


class UnitDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("For the crisis checklist: one step per line."),
    )


class RhythmForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        widget=DateInput(),
        help_text=_("The first day to plan (YYYY-MM-DD)."),
    )
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=MAX_RHYTHM_WEEKS, initial=4)
