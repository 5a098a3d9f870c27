"""Forms of the inbox pages: the list's filters, triage of one item, bulk actions, notes.

Dates and times are ISO inputs (``type="date"``, ``type="datetime-local"``) read as
Europe/Berlin wall-clock time."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from accounts.models import User
from accounts.widgets import DateInput
from accounts.widgets import DateTimeLocalInput
from moderation.inbox.selectors import ASSIGNEE_ME
from moderation.inbox.selectors import ASSIGNEE_UNASSIGNED
from moderation.inbox.selectors import STATUS_ACTIVE
from moderation.inbox.selectors import STATUS_SNOOZED
from moderation.inbox.selectors import ChannelInfo
from moderation.inbox.selectors import InboxFilters
from moderation.inbox.services import BULK_ACTIONS
from moderation.inbox.services import NOTE_MAX_CHARS
from moderation.models import Flag
from moderation.models import InboxItem

S = InboxItem.Status


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.email


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return "— " * obj.depth + obj.name


def status_filter_choices() -> list[tuple[str, Any]]:
    return [
        ("", _("All except snoozed")),
        (STATUS_ACTIVE, _("To do (new, open, waiting)")),
        *S.choices,
        (STATUS_SNOOZED, _("Snoozed")),
    ]


class InboxFilterForm(forms.Form):
    """The list's filters (GET). Every field is optional; an invalid one is reported and
    ignored, the others still filter."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words in the text, or the author's name or handle"),
    )
    channel = forms.TypedMultipleChoiceField(
        label=_("Channels"), coerce=int, required=False, widget=forms.SelectMultiple
    )
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    priority = forms.TypedChoiceField(
        label=_("Priority"), coerce=int, required=False, empty_value=None
    )
    flag = forms.ChoiceField(label=_("Flag"), required=False)
    date_from = forms.DateField(label=_("Written from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Written until"), required=False, widget=DateInput())
    post = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    variant = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        channels: dict[int, ChannelInfo],
        users: QuerySet[User],
        teams: QuerySet[OrgUnit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["channel"].choices = [  # type: ignore[attr-defined]
            (pk, f"{c.name} ({c.unit_name})") for pk, c in channels.items()
        ]
        units = {c.unit_id: c for c in channels.values()}
        fields["unit"].choices = [("", _("All units"))] + [  # type: ignore[attr-defined]
            (c.unit_id, "— " * c.unit_depth + c.unit_name)
            for c in sorted(units.values(), key=lambda c: c.unit_path)
        ]
        fields["status"].choices = status_filter_choices()  # type: ignore[attr-defined]
        fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone or no one")),
            (ASSIGNEE_ME, _("Me")),
            (ASSIGNEE_UNASSIGNED, _("No one (neither person nor team)")),
            *[(str(u.pk), u.get_full_name() or u.email) for u in users],
        ]
        fields["team"].choices = [("", _("Any team"))] + [  # type: ignore[attr-defined]
            (t.pk, "— " * t.depth + t.name) for t in teams
        ]
        fields["priority"].choices = [  # type: ignore[attr-defined]
            ("", _("Any priority")),
            *InboxItem.Priority.choices,
        ]
        fields["flag"].choices = [("", _("Any or none")), *Flag.Kind.choices]  # type: ignore[attr-defined]

    def filters(self) -> InboxFilters:
        """The valid fields as filters (call after ``is_valid()``)."""
        data = getattr(self, "cleaned_data", {})
        return InboxFilters(
            channels=tuple(data.get("channel") or ()),
            unit=data.get("unit"),
            status=data.get("status") or "",
            assignee=data.get("assignee") or "",
            team=data.get("team"),
            priority=data.get("priority"),
            flag=data.get("flag") or "",
            variant=data.get("variant"),
            post=data.get("post"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=data.get("q") or "",
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))

    def __init__(self, *args: Any, targets: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = targets if targets is not None else list(S.values)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in S.choices if value in allowed
        ]


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(
        label=_("Priority"), coerce=int, choices=InboxItem.Priority.choices
    )


class _AssignChoicesForm(forms.Form):
    """A form with an ``assignee`` and a ``team`` field, offering the people and teams the
    view may assign (those of the channels' units and the units above them)."""

    def __init__(
        self, *args: Any, users: QuerySet[User], teams: QuerySet[OrgUnit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class AssignForm(_AssignChoicesForm):
    assignee = UserChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No one"),
        help_text=_("Community managers of the channel's unit or a unit above it"),
    )
    team = TeamChoiceField(
        label=_("Team"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("No team")
    )


class SnoozeForm(forms.Form):
    snoozed_until = forms.DateTimeField(
        label=_("Snooze until"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("German time. Empty: bring the item back now."),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only your colleagues see it; it is never sent to the platform."),
    )


class BulkForm(_AssignChoicesForm):
    """A change for the items ticked in the list (``items``)."""

    items = forms.TypedMultipleChoiceField(coerce=int, required=True)
    action = forms.ChoiceField(
        label=_("Change"),
        choices=[
            ("status", _("Set status")),
            ("assign", _("Assign")),
            ("priority", _("Set priority")),
            ("snooze", _("Snooze")),
        ],
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *S.choices], required=False)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *InboxItem.Priority.choices],
        required=False,
    )
    assignee = UserChoiceField(
        label=_("Person"), queryset=User.objects.none(), required=False, empty_label=_("No one")
    )
    team = TeamChoiceField(
        label=_("Team"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("No team")
    )
    snoozed_until = forms.DateTimeField(
        label=_("Snooze until"), required=False, widget=DateTimeLocalInput()
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any id is accepted here; the view keeps only items the user may read.
        data = args[0] if args else kwargs.get("data")
        ids = data.getlist("items") if data is not None and hasattr(data, "getlist") else []
        self.fields["items"].choices = [(v, v) for v in ids]  # type: ignore[attr-defined]
        self.fields["items"].error_messages["required"] = _("Select at least one item.")

    def clean_action(self) -> str:
        action = self.cleaned_data["action"]
        assert action in BULK_ACTIONS
        return str(action)
