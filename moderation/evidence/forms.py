"""Forms of the evidence pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.widgets import DateInput


class MarkCriminalForm(forms.Form):
    known_since = forms.DateField(
        label=_("Known since"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "The day the authority learned of the act and the author. Empty: today. The"
            " request to prosecute is due within three months of it (§ 77b StGB)."
        ),
    )


class ComplaintFiledForm(forms.Form):
    reference = forms.CharField(
        label=_("File number of the police or public prosecutor"),
        required=False,
        max_length=200,
    )


class ReleaseHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the legal hold end?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: the proceedings are closed, or no complaint will be filed. Afterwards"
            " the record is deleted when its retention period ends."
        ),
    )
