"""Forms of the media library pages. Validation of the file itself lives in
``editorial.media.services``; these forms only collect input."""

from __future__ import annotations

from typing import Any
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.models import OrgUnit
from accounts.widgets import DateInput
from editorial.media.processing import METADATA_FIELDS
from editorial.media.processing import media_upload_too_large_message
from editorial.models import MediaAsset

ALT_TEXT_HELP = _(
    "For people who cannot see the image (screen readers) and for search. Say what matters"
    " in this post in one or two sentences: who or what, doing what, where. Repeat any text"
    " that is part of the image. Do not start with “Image of”; leave out decoration."
)


class MediaFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("File name, alternative text, caption or credit"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Images and videos")), *MediaAsset.Kind.choices],
    )
    unit = UnitChoiceField(
        label=_("Unit"), required=False, queryset=OrgUnit.objects.none(), empty_label=_("All")
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class MediaMetadataForm(forms.Form):
    alt_text = forms.CharField(
        label=_("Alternative text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=ALT_TEXT_HELP,
    )
    caption = forms.CharField(
        label=_("Caption"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown with the image where a platform has captions; internal otherwise."),
    )
    credit = forms.CharField(
        label=_("Source / credit"),
        required=False,
        max_length=300,
        help_text=_("Photographer or agency as it must be named, e.g. “Foto: Stadt Musterstadt”."),
    )
    license = forms.ChoiceField(
        label=_("Licence"),
        required=False,
        choices=[("", _("Not documented yet")), *MediaAsset.License.choices],
    )
    rights_note = forms.CharField(
        label=_("Rights note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where the rights are documented, restrictions (e.g. only for this campaign)."),
    )
    rights_valid_until = forms.DateField(
        label=_("Rights valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: no end date."),
    )
    captions_file = forms.FileField(
        label=_("Subtitles (WebVTT or SRT)"),
        required=False,
        help_text=_("Videos only. Needed so that people who cannot hear can follow the video."),
    )


class MediaUploadForm(MediaMetadataForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "JPEG, PNG, GIF or WebP images; MP4, MOV or WebM videos. Location data (GPS) and"
            " other metadata are removed from images on upload."
        ),
    )

    # The file inputs come last on purpose: when an upload is stopped for its size, the
    # server has read the fields before the file but nothing after it, and only those can be
    # shown again.
    field_order = ["unit", *METADATA_FIELDS, "file", "captions_file"]

    def __init__(self, *args: Any, units: Any, upload_refused: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        self.upload_refused = upload_refused
        if upload_refused:
            # The file never arrived: say why, instead of "This field is required".
            self.fields["file"].required = False

    def clean_file(self) -> Any:
        if self.upload_refused:
            raise ValidationError(media_upload_too_large_message())
        return self.cleaned_data["file"]


class MediaEditForm(MediaMetadataForm):
    remove_captions = forms.BooleanField(label=_("Remove the current subtitles"), required=False)

    def __init__(
        self,
        *args: Any,
        is_video: bool,
        has_captions: bool = False,
        upload_refused: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.upload_refused = upload_refused
        if not is_video:
            del self.fields["captions_file"]
        if not (is_video and has_captions):
            del self.fields["remove_captions"]

    def clean_captions_file(self) -> Any:
        if self.upload_refused:
            raise ValidationError(media_upload_too_large_message())
        return self.cleaned_data["captions_file"]
