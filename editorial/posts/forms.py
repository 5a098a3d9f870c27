"""Forms of the post pages: the post, a channel's own text, approve/reject, reschedule, comment."""

from __future__ import annotations

from typing import Any
from typing import cast

from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.models import OrgUnit
from channels_app.forms import ChannelsField
from editorial.common.forms import BerlinDateTimeMixin
from editorial.models import MAX_CONTENT_WARNING
from editorial.models import MediaAsset
from editorial.models import Topic
from editorial.posts.services import POST_EDITABLE_FIELDS


class MediaCheckboxes(forms.CheckboxSelectMultiple):
    """The media library's images and videos to tick. While the library holds none of the
    user's units, a hint with a link to it instead of an empty group. Decided while
    rendering, from the choices read for the boxes anyway: the hint costs no query."""

    empty_template_name = "editorial/posts/_media_hint.html"

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)
        has_choices = bool(context["widget"]["optgroups"])
        template = self.template_name if has_choices else self.empty_template_name
        # Widget._render (template, context, renderer → safe string) is not in the stubs.
        return self._render(template, context, renderer)  # type: ignore[attr-defined]


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
    channels = ChannelsField()
    content_warning = forms.CharField(
        label=_("Content warning"),
        required=False,
        max_length=MAX_CONTENT_WARNING,
        # static/js/editor.js shows the field only while a channel that has content warnings
        # (Mastodon) is ticked, or while it holds a text.
        widget=forms.TextInput(attrs={"data-content-warning": ""}),
        help_text=_(
            "Mastodon only: shown before the post, which readers open with a click (e.g. "
            "“Violence”, “Flood warning”). Counts towards the character limit."
        ),
    )
    # The form metaclass moves declared fields into base_fields, so this does not hide the
    # form's ``media`` property (its CSS/JS) at run time; mypy sees only the class attribute.
    media = forms.ModelMultipleChoiceField(  # type: ignore[assignment]
        label=_("Images and videos from the media library"),
        queryset=MediaAsset.objects.none(),
        widget=MediaCheckboxes,
        required=False,
    )

    field_order = [
        "unit",
        "title",
        "text",
        "website_link",
        "topic",
        "channels",
        "content_warning",
        "media",
        "planned_date",
        "planned_time",
        "dst_choice",
    ]

    def __init__(
        self, *args: Any, units: Any, channels: Any, topics: Any, media: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (
            ("unit", units),
            ("channels", channels),
            ("topic", topics),
            ("media", media),
        ):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset

    def post_fields(self) -> dict[str, Any]:
        """What the post services take from this form, for a new post and an edit alike."""
        data = self.cleaned_data
        fields = (*POST_EDITABLE_FIELDS, "channels")
        return {name: data[name] for name in fields} | {
            "media_ids": [asset.pk for asset in data["media"]]
        }


class VariantForm(forms.Form):
    text_override = forms.CharField(
        label=_("Own text for this channel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Empty or unchanged: the channel follows the post's text."),
    )
    media_override = forms.BooleanField(
        label=_("Own images and videos"),
        required=False,
        help_text=_("Otherwise the channel shows the post's images and videos."),
    )
    media = forms.ModelMultipleChoiceField(  # type: ignore[assignment]  # see PostForm.media
        label=_("Images and videos"),
        queryset=MediaAsset.objects.none(),
        widget=MediaCheckboxes,
        required=False,
    )

    def __init__(self, *args: Any, media: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["media"]).queryset = media


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The content hash of what the page showed: the approval covers exactly that.
    seen_hash = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


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
