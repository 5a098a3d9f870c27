"""Forms of the reply pages: the reply form of the conversation, approval decisions,
saved replies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import OrgUnit
from accounts.models import User
from moderation.common.permissions import units_for_moderating
from moderation.replies.texts import FORMAL_REQUEST_CODES
from moderation.replies.texts import FORMAL_REQUEST_PREFIX
from moderation.replies.texts import PLACEHOLDERS

FORMAL_REQUEST_LABELS = {
    "application": _("Standard answer: application"),
    "objection": _("Standard answer: objection or complaint"),
    "data_subject_request": _("Standard answer: data protection request"),
    "foi_request": _("Standard answer: freedom of information request"),
}


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 6, "data-reply-text": ""}),
        strip=False,
    )
    saved_reply = forms.IntegerField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should this reply not be sent?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(forms.Form):
    found = forms.TypedChoiceField(
        label=_("Is the reply on the platform?"),
        choices=[
            ("yes", _("Yes, it is there: mark it as sent")),
            ("no", _("No, it is not there: send it again")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    remote_url = forms.URLField(
        label=_("Address of the reply on the platform (if found)"),
        required=False,
        assume_scheme="https",
    )


def _purpose_choices() -> list[tuple[str, Any]]:
    return [("", _("Ordinary saved reply"))] + [
        (f"{FORMAL_REQUEST_PREFIX}{code}", FORMAL_REQUEST_LABELS[code])
        for code in FORMAL_REQUEST_CODES
    ]


class SavedReplyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=False,
        # Lazy: formatted in the reader's language when the form is shown, not at import.
        help_text=format_lazy(
            _("Placeholders: {names}"), names=", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        ),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    shared = forms.BooleanField(
        label=_("Shared with the unit and the units below it"),
        required=False,
        help_text=_("Otherwise only you see it."),
    )
    purpose = forms.ChoiceField(
        # "Use" is also a button elsewhere; here it is the purpose of the saved reply.
        label=pgettext_lazy("saved reply purpose", "Use"),
        required=False,
        choices=_purpose_choices,
        help_text=_(
            "A standard answer to a formal request is offered first on items flagged as such"
            " (shared saved replies only)."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for_moderating(user)  # type: ignore[attr-defined]
