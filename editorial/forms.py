from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.models import OrgUnit, User
from channels_app.models import Channel
from editorial.models import MediaAsset, Topic
from editorial.timeutil import BERLIN, berlin_to_aware, is_ambiguous

DST_CHOICES = [
    ("", _("—")),
    ("first", _("the first 02:00 to 02:59 (still summer time, CEST)")),
    ("second", _("the second 02:00 to 02:59 (already winter time, CET)")),
]


class BerlinDateTimeMixin(forms.Form):
    """Date and time as the press office thinks of them (Berlin wall clock), resolved to an
    aware instant; the summer/winter-time choice matters only in the ambiguous autumn hour."""

    planned_date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    planned_time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    dst_choice = forms.ChoiceField(
        label=_("If the time occurs twice (night of the change to winter time)"),
        choices=DST_CHOICES,
        required=False,
    )

    planned_required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, time = data.get("planned_date"), data.get("planned_time")
        if day is None and time is None:
            if self.planned_required:
                self.add_error("planned_date", _("Choose a date and time."))
            data["planned_at"] = None
            return data
        if day is None or time is None:
            self.add_error("planned_time" if day else "planned_date", _("Give both date and time."))
            return data
        naive = datetime.combine(day, time)
        choice = data.get("dst_choice") or None
        try:
            data["planned_at"] = berlin_to_aware(
                naive, second_occurrence=None if choice is None else choice == "second"
            )
        except ValidationError as error:
            field = "dst_choice" if is_ambiguous(naive) else "planned_time"
            self.add_error(field, error)
        return data

    @staticmethod
    def initial_for(planned_at: datetime | None) -> dict[str, Any]:
        if planned_at is None:
            return {}
        local = timezone.localtime(planned_at, BERLIN)
        initial: dict[str, Any] = {"planned_date": local.date(), "planned_time": local.time()}
        if is_ambiguous(local.replace(tzinfo=None)):
            initial["dst_choice"] = "second" if local.fold else "first"
        return initial


class PostForm(BerlinDateTimeMixin):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    title = forms.CharField(
        label=_("Internal title"),
        max_length=200,
        help_text=_("For the Redaktionsplan; not published."),
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "data-preview": "text"}),
        help_text=_("The text for every channel; a channel can get its own text afterwards."),
    )
    website_link = forms.URLField(
        label=_("Link to the same information on our website"),
        required=False,
        assume_scheme="https",
        max_length=500,
    )
    topic = forms.ModelChoiceField(
        label=_("Topic / campaign"), queryset=Topic.objects.none(), required=False
    )
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels"),
        queryset=Channel.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    media = forms.ModelMultipleChoiceField(
        label=_("Images and videos from the media library"),
        queryset=MediaAsset.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    field_order = [
        "unit",
        "title",
        "text",
        "website_link",
        "topic",
        "channels",
        "media",
        "planned_date",
        "planned_time",
        "dst_choice",
    ]

    def __init__(
        self, *args: Any, units: Any, channels: Any, topics: Any, media: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["channels"].queryset = channels
        self.fields["topic"].queryset = topics
        self.fields["media"].queryset = media


class VariantForm(forms.Form):
    text_override = forms.CharField(
        label=_("Own text for this channel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Empty: the post's text is used."),
    )
    media_override = forms.BooleanField(label=_("Own images and videos"), required=False)
    media = forms.ModelMultipleChoiceField(
        label=_("Images and videos"),
        queryset=MediaAsset.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, media: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["media"].queryset = media


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What should the author change?"),
    )


class RescheduleForm(BerlinDateTimeMixin):
    planned_required = True


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mention colleagues with @ and their e-mail address to notify them."),
    )


class EditorialPolicyForm(forms.Form):
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
        self.fields["emergency_approvers"].queryset = approvers
