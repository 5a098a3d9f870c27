"""Forms of data protection: a unit's retention settings, finding a person's data, the
request, confirming an erasure."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.models import OrgUnit
from accounts.widgets import DateInput
from moderation.common.selectors import EffectiveSettings
from moderation.models import Author
from moderation.models import DataSubjectRequest


class PrivacySettingsForm(forms.Form):
    retention_days = forms.IntegerField(
        label=_("Keep commenters' personal data (days after closing)"),
        min_value=1,
        max_value=3650,
        help_text=_("Then text, payload and names are erased; counts and times stay."),
    )
    evidence_retention_days = forms.IntegerField(
        label=_("Keep evidence records (days)"),
        min_value=1,
        max_value=3650,
        help_text=_(
            "Applies to records secured from now on; a criminally relevant record is "
            "kept at least until the deadline for a request to prosecute."
        ),
    )
    block_retention_days = forms.IntegerField(
        label=_("Keep block register entries (days after unblocking)"),
        min_value=1,
        max_value=3650,
    )
    criminal_unit = forms.ModelChoiceField(
        label=_("Unit handling criminally relevant items"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("As the unit above (at the top: the item's own unit)"),
    )
    employee_figures = forms.BooleanField(
        label=_("Show response figures per employee"),
        required=False,
        help_text=_("Only with the staff council's consent. Off: figures per unit only."),
    )

    def __init__(
        self, *args: Any, settings: EffectiveSettings, units: QuerySet[OrgUnit], **kwargs: Any
    ) -> None:
        kwargs["initial"] = {
            "retention_days": settings.retention_days,
            "evidence_retention_days": settings.evidence_retention_days,
            "block_retention_days": settings.block_retention_days,
            "criminal_unit": settings.criminal_unit_id,
            "employee_figures": settings.employee_figures,
        }
        super().__init__(*args, **kwargs)
        self.fields["criminal_unit"].queryset = units  # type: ignore[attr-defined]


class AuthorSearchForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    q = forms.CharField(
        label=_("Handle, name, profile address or platform id"),
        max_length=1000,
        help_text=_("Searches the channels of the unit (and the units below) that you moderate."),
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class RequestCreateForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind of request"),
        choices=DataSubjectRequest.Kind.choices,
        widget=forms.RadioSelect,
    )
    reference = forms.CharField(label=_("File reference"), max_length=200, required=False)
    received_on = forms.DateField(
        label=_("Received on"),
        required=False,
        help_text=_("The answer is due one month later (Art. 12 (3) GDPR). Empty: today."),
        widget=DateInput(),
    )
    authors = forms.ModelMultipleChoiceField(
        label=_("Accounts of the person"),
        queryset=Author.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one account of the person.")},
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        authors: QuerySet[Author],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["authors"].queryset = authors  # type: ignore[attr-defined]


class EraseConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the person's identity and want to erase their data now."),
        error_messages={"required": _("Confirm the erasure first.")},
    )
