"""The form of a unit's editorial rules."""

from __future__ import annotations

from typing import Any
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import FieldsetsMixin
from accounts.models import User


class EditorialPolicyForm(FieldsetsMixin):
    fieldsets = [
        (
            _("Requirements for every post"),
            ["require_website_link", "alt_text_required", "captions_required"],
        )
    ]

    required_approvals = forms.IntegerField(
        label=_("Approvals needed"),
        min_value=1,
        max_value=5,
        help_text=_("Four-eyes principle: at least one approval by someone other than the author."),
    )
    approval_valid_days = forms.IntegerField(
        label=_("Approval valid for (days)"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Empty: an approval does not expire."),
    )
    require_website_link = forms.BooleanField(
        label=_("Every post needs a link to the same information on our website"), required=False
    )
    alt_text_required = forms.BooleanField(
        label=_("Missing alt text blocks the review (otherwise a warning)"), required=False
    )
    captions_required = forms.BooleanField(
        label=_("Missing video subtitles block the review (otherwise a warning)"), required=False
    )
    emergency_approvers = forms.ModelMultipleChoiceField(
        label=_("Emergency approvers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("May release a prepared emergency post alone, even during a pause."),
    )

    def __init__(self, *args: Any, approvers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelMultipleChoiceField, self.fields["emergency_approvers"]
        ).queryset = approvers
