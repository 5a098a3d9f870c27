"""Forms of crisis mode: start a pause, handle missed posts, send an emergency post."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.input import parse_int
from accounts.models import OrgUnit
from accounts.models import User
from channels_app.forms import ChannelsField
from channels_app.models import Channel
from editorial.crisis.permissions import channels_for_pausing
from editorial.crisis.permissions import units_for_pausing
from editorial.crisis.permissions import user_is_installation_operator
from editorial.crisis.selectors import default_pause_unit
from editorial.models import PostTemplate
from editorial.post_templates.selectors import post_template_placeholders
from editorial.posts.selectors import channels_for_drafting

ALL = "all"


class PauseForm(forms.Form):
    """Scope preselected to the user's own unit: in a crisis only the reason is typed."""

    scope = forms.ChoiceField(label=_("What to pause"))
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to everyone affected, e.g. “Amoklage in der Innenstadt”."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units_for_pausing(user)}
        self.channels = {c.pk: c for c in channels_for_pausing(user)}
        unit_choices = [
            (
                f"unit:{unit.pk}",
                _("Whole authority: %(name)s") % {"name": unit.name}
                if unit.parent_id is None
                else "\u2003" * unit.depth + str(unit.name),
            )
            for unit in self.units.values()
        ]
        choices: list[Any] = []
        if user_is_installation_operator(user):
            choices.append((ALL, _("Every authority in this installation")))
        choices.append((_("Units, with every unit below"), unit_choices))
        if self.channels:
            channel_choices = [
                (f"channel:{c.pk}", f"{c.name} ({c.unit.name})") for c in self.channels.values()
            ]
            choices.append((_("Single channels"), channel_choices))
        self.fields["scope"].choices = choices  # type: ignore[attr-defined]
        default = default_pause_unit(user)
        if default is not None:
            self.fields["scope"].initial = f"unit:{default.pk}"

    def clean_scope(self) -> tuple[OrgUnit | None, Channel | None]:
        value = self.cleaned_data["scope"]
        kind, _sep, raw_pk = value.partition(":")
        pk = parse_int(raw_pk)
        if kind == "unit" and pk in self.units:
            return self.units[pk], None
        if kind == "channel" and pk in self.channels:
            return None, self.channels[pk]
        if value == ALL:
            return None, None
        raise ValidationError(_("Choose what to pause."))


class DiscardForm(forms.Form):
    reason = forms.CharField(label=_("Why is it discarded?"), max_length=1000)


class EmergencyPostForm(forms.Form):
    """One input per ``{placeholder}`` of the template, and the channels to send to."""

    channels = ChannelsField(required=True)

    def __init__(self, *args: Any, user: User, template: PostTemplate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template = template
        self.placeholders = post_template_placeholders(template)
        allowed = channels_for_drafting(user).order_by("unit__path", "name")
        self.fields["channels"].queryset = allowed  # type: ignore[attr-defined]
        self.fields["channels"].initial = [c.pk for c in template.channels.all()]
        for name in self.placeholders:
            self.fields[f"value_{name}"] = forms.CharField(
                label=name.replace("_", " ").capitalize(), max_length=500
            )
        # The text to fill in comes first; the channels are usually already right.
        self.order_fields([*(f"value_{name}" for name in self.placeholders), "channels"])

    def placeholder_values(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"value_{name}"] for name in self.placeholders}
